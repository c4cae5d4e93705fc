"""The worker: runs the application workflow and its activities on one task queue."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Self

import asyncpg
from pydantic import TypeAdapter
from pydantic_extra_types.country import CountryAlpha2
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxRestrictions

from activities import build_activities
from activities.archive import ArchiveActivities
from clock import SYSTEM_CLOCK, Clock
from config.settings import Settings
from register.port import NationalRegister
from workers.sandbox import DirectContextSandboxedRunner
from workflows.application import IINApplicationWorkflow
from workflows.archive_sweep import ArchiveSweepWorkflow

# pycountry (behind the CountryAlpha2 fields) reads its database from disk on first use, and the
# sandbox forbids file access: load it here, outside, and let workflows share that module.
TypeAdapter(CountryAlpha2).validate_python("KZ")
# The sandbox re-creates the workflow module for every run and guards every activation: it catches a
# non-deterministic call (clock, random, I/O) the moment it runs. Tests, replays and audits always run
# sandboxed; the worker does unless WORKFLOW_SANDBOX=false, which saves 2-3 ms of CPU per application
# (docs/performance.md). The runner is the SDK's, minus an `exec` per payload (workers/sandbox.py).
SANDBOXED_RUNNER = DirectContextSandboxedRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("pydantic_extra_types", "pycountry")
)


@dataclass(frozen=True)
class WorkerTuning:
    """How a worker runs: its concurrency and whether workflows run in the sandbox."""

    max_concurrent_activities: int = 100
    max_concurrent_workflow_tasks: int = 100
    sandboxed: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The tuning MAX_CONCURRENT_ACTIVITIES, MAX_CONCURRENT_WORKFLOW_TASKS and WORKFLOW_SANDBOX set."""
        return cls(
            max_concurrent_activities=settings.max_concurrent_activities,
            max_concurrent_workflow_tasks=settings.max_concurrent_workflow_tasks,
            sandboxed=settings.workflow_sandbox,
        )

    def worker_options(self) -> dict[str, Any]:
        """The temporalio Worker arguments this tuning stands for."""
        return {
            "workflow_runner": SANDBOXED_RUNNER if self.sandboxed else UnsandboxedWorkflowRunner(),
            "max_concurrent_activities": self.max_concurrent_activities,
            "max_concurrent_local_activities": self.max_concurrent_activities,
            "max_concurrent_workflow_tasks": self.max_concurrent_workflow_tasks,
        }


def build_worker(
    client: Client,
    pool: asyncpg.Pool,
    task_queue: str,
    *,
    tuning: WorkerTuning = WorkerTuning(),
    graceful_shutdown_timeout: timedelta = timedelta(),
    clock: Clock = SYSTEM_CLOCK,
    register: NationalRegister | None = None,
) -> Worker:
    """A worker for the application workflow and the archive sweep; every activity shares `pool` and `clock`.

    `register` is the national register the activities ask (embedded in `pool`'s database by default).
    """
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[IINApplicationWorkflow, ArchiveSweepWorkflow],
        activities=[
            *build_activities(pool, clock, register),
            ArchiveActivities(pool, clock).archive_ended_applications,
        ],
        graceful_shutdown_timeout=graceful_shutdown_timeout,
        **tuning.worker_options(),
    )
