"""ArchiveSweepWorkflow: one sweep of the history archive, started every few minutes by a Temporal Schedule.

The schedule (`iin archive schedule`, and `iin up` locally) skips a run while the previous one is
still going; the activity heartbeats, so a sweep on a killed worker is retried on another within a
minute, and whatever no sweep reached is reached by the next.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.archive import ArchiveActivities, SweepReport

SWEEP_WORKFLOW_TYPE = "ArchiveSweepWorkflow"


@workflow.defn(name=SWEEP_WORKFLOW_TYPE)
class ArchiveSweepWorkflow:
    """Archive every ended application that the archive lacks."""

    @workflow.run
    async def run(self) -> SweepReport:
        """Run the sweep activity once; its report is the workflow's result (visible in the Web UI)."""
        return await workflow.execute_activity_method(
            ArchiveActivities.archive_ended_applications,
            start_to_close_timeout=timedelta(hours=1),
            heartbeat_timeout=timedelta(minutes=1),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1), maximum_attempts=5),
        )
