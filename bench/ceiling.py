"""The ceilings the real workflow is measured against: an empty workflow, and five no-op activities.

Run as a worker process: `python -m bench.ceiling ADDRESS NAMESPACE TASK_QUEUE`.
"""

import asyncio
import sys
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

# The sandbox re-imports this module to check the workflows: the worker's own modules pass through.
with workflow.unsafe.imports_passed_through():
    from config.settings import get_settings
    from workers.worker import WorkerTuning

EMPTY = "BenchEmptyWorkflow"
FIVE_ACTIVITIES = "BenchFiveActivitiesWorkflow"


@activity.defn(name="bench_noop")
async def noop(step: int) -> int:
    """Does nothing: its cost is the round trip."""
    return step


@workflow.defn(name=EMPTY)
class EmptyWorkflow:
    @workflow.run
    async def run(self, seq: int) -> int:
        return seq


@workflow.defn(name=FIVE_ACTIVITIES)
class FiveActivitiesWorkflow:
    @workflow.run
    async def run(self, seq: int) -> int:
        for step in range(5):
            await workflow.execute_activity(noop, step, start_to_close_timeout=timedelta(seconds=30))
        return seq


async def serve(address: str, namespace: str, task_queue: str) -> None:
    """Run the ceiling worker until cancelled or terminated, with the real worker's settings."""
    client = await Client.connect(address, namespace=namespace)
    worker = Worker(
        client,
        task_queue=task_queue,
        workflows=[EmptyWorkflow, FiveActivitiesWorkflow],
        activities=[noop],
        **WorkerTuning.from_settings(get_settings()).worker_options(),
    )
    await worker.run()


if __name__ == "__main__":
    asyncio.run(serve(*sys.argv[1:4]))
