"""The national register for tests: the simulator on a database of its own, and a worker that asks it over HTTP."""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest_asyncio
from fastapi import FastAPI
from temporalio.client import Client

from register.remote import RemoteRegister
from register.serving import running_simulator
from register.simulator import Faults, Simulator
from tests.toolkit.databases import Contents, fresh_database
from workers.worker import build_worker


class RunningSimulator:
    """The simulator a test talks to: its URL, its switches, and its store."""

    def __init__(self, url: str, app: FastAPI, store: asyncpg.Pool) -> None:
        self.url = url
        self.store = store
        self._simulator: Simulator = app.state.simulator

    async def set_faults(self, **switches: object) -> None:
        """Change the fault switches through the simulator's HTTP control, as an operator would."""
        async with httpx.AsyncClient(base_url=self.url) as http:
            (
                await http.put("/_faults", json=Faults.model_validate(switches).model_dump(mode="json"))
            ).raise_for_status()

    @property
    def lost_replies(self) -> int:
        """Formations whose reply the simulator dropped after committing."""
        return self._simulator.counters.lost_replies

    @property
    def errors(self) -> int:
        """Requests the simulator failed before any work."""
        return self._simulator.counters.errors


@pytest_asyncio.fixture
async def simulator(server_dsn: str) -> AsyncIterator[RunningSimulator]:
    """A register simulator serving on a free port, on a fresh database of its own."""
    async with (
        fresh_database(server_dsn, "register", Contents.EMPTY) as database,
        running_simulator(database.dsn, seed=7) as (url, app),
    ):
        store = await asyncpg.create_pool(database.dsn, min_size=1, max_size=2)
        try:
            yield RunningSimulator(url, app, store)
        finally:
            await store.close()


@pytest_asyncio.fixture
async def remote_register(simulator: RunningSimulator) -> AsyncIterator[RemoteRegister]:
    """The remote adapter pointed at the simulator."""
    register = RemoteRegister(simulator.url, timeout=5.0)
    yield register
    await register.aclose()


@pytest_asyncio.fixture
async def remote_task_queue(client: Client, pool: asyncpg.Pool, remote_register: RemoteRegister) -> AsyncIterator[str]:
    """A worker on the dev server whose national register is the simulator, over HTTP."""
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(client, pool, queue, register=remote_register):
        yield queue
