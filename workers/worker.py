"""The worker: runs the application workflow and its activities on one task queue."""

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker

from activities import build_activities
from workflows.application import IINApplicationWorkflow


def build_worker(
    client: Client,
    pool: asyncpg.Pool,
    task_queue: str,
    *,
    max_concurrent_activities: int = 100,
    max_concurrent_workflow_tasks: int = 100,
) -> Worker:
    """A worker for the application workflow; every activity shares `pool`."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[IINApplicationWorkflow],
        activities=build_activities(pool),
        max_concurrent_activities=max_concurrent_activities,
        max_concurrent_local_activities=max_concurrent_activities,
        max_concurrent_workflow_tasks=max_concurrent_workflow_tasks,
    )
