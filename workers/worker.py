"""The worker: runs the application workflow and its activities on one task queue."""

from datetime import timedelta

import asyncpg
from pydantic import TypeAdapter
from pydantic_extra_types.country import CountryAlpha2
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import build_activities
from activities.archive import ArchiveActivities
from workflows.application import IINApplicationWorkflow
from workflows.archive_sweep import ArchiveSweepWorkflow

# pycountry (behind the CountryAlpha2 fields) reads its database from disk on first use, and the
# sandbox forbids file access: load it here, outside, and let workflows share that module.
TypeAdapter(CountryAlpha2).validate_python("KZ")
# The sandbox re-creates the workflow module for every run and guards every activation: it catches a
# non-deterministic call (clock, random, I/O) the moment it runs. Tests, replays and audits always run
# sandboxed; the worker does unless WORKFLOW_SANDBOX=false, which saves 2-3 ms of CPU per application
# (docs/performance.md).
SANDBOXED_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("pydantic_extra_types", "pycountry")
)


def build_worker(
    client: Client,
    pool: asyncpg.Pool,
    task_queue: str,
    *,
    max_concurrent_activities: int = 100,
    max_concurrent_workflow_tasks: int = 100,
    graceful_shutdown_timeout: timedelta = timedelta(),
    sandboxed: bool = True,
) -> Worker:
    """A worker for the application workflow and the archive sweep; every activity shares `pool`.

    `sandboxed=False` runs the workflows without the sandbox's guard, for throughput.
    """
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[IINApplicationWorkflow, ArchiveSweepWorkflow],
        workflow_runner=SANDBOXED_RUNNER if sandboxed else UnsandboxedWorkflowRunner(),
        activities=[*build_activities(pool), ArchiveActivities(pool).archive_ended_applications],
        max_concurrent_activities=max_concurrent_activities,
        max_concurrent_local_activities=max_concurrent_activities,
        max_concurrent_workflow_tasks=max_concurrent_workflow_tasks,
        graceful_shutdown_timeout=graceful_shutdown_timeout,
    )
