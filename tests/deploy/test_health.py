"""The worker's probes: /livez answers while the loop runs, /readyz only when both dependencies answer."""

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest_asyncio
from temporalio.client import Client

from db.pool import create_pool
from workers.health import Health, serve_health


@pytest_asyncio.fixture
async def probe(client: Client, pool: asyncpg.Pool) -> AsyncIterator[tuple[Health, httpx.AsyncClient]]:
    """A probe server on a free port, and an HTTP client pointed at it."""
    health = Health(client, pool)
    server = await serve_health(health, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            yield health, http
    finally:
        server.close()
        await server.wait_closed()


async def test_livez_answers_while_the_process_runs(probe: tuple[Health, httpx.AsyncClient]) -> None:
    _, http = probe

    answer = await http.get("/livez")

    assert (answer.status_code, answer.json()) == (200, {"status": "alive"})


async def test_readyz_is_ready_when_temporal_and_postgres_answer(probe: tuple[Health, httpx.AsyncClient]) -> None:
    _, http = probe

    answer = await http.get("/readyz")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "temporal": "ok", "postgres": "ok", "stopping": False}


async def test_readyz_is_not_ready_once_the_worker_is_stopping(probe: tuple[Health, httpx.AsyncClient]) -> None:
    health, http = probe
    health.stopping = True

    answer = await http.get("/readyz")

    assert answer.status_code == 503
    assert answer.json()["stopping"] is True


async def test_readyz_is_not_ready_without_postgres(client: Client, database_dsn: str) -> None:
    gone = await create_pool(database_dsn, min_size=1, max_size=1)
    await gone.close()

    status, body = await Health(client, gone, timeout=1).ready()

    assert status == 503
    assert body["postgres"] == "unreachable: InterfaceError"
    assert body["temporal"] == "ok"


async def test_unknown_paths_and_methods_are_refused(probe: tuple[Health, httpx.AsyncClient]) -> None:
    _, http = probe

    assert (await http.get("/metrics")).status_code == 404
    assert (await http.post("/readyz")).status_code == 405
