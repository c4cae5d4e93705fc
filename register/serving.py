"""Running the register simulator: its own database (created and migrated if new) behind uvicorn."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import uvicorn
from fastapi import FastAPI

from api.server import EmbeddedServer, bound_port, start_server, stop_server
from clock import SYSTEM_CLOCK, Clock
from db.migrate import migrate
from db.pool import create_pool
from register.simulator import Faults, create_app


async def ensure_database(dsn: str) -> None:
    """Create the database `dsn` names, on its server, unless it exists."""
    parts = urlsplit(dsn)
    name = parts.path.lstrip("/")
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name) is None:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


@asynccontextmanager
async def running_simulator(
    dsn: str,
    faults: Faults | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    seed: int | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> AsyncIterator[tuple[str, FastAPI]]:
    """Serve the simulator on `dsn`'s database; yields its base URL and app (for its fault switches)."""
    await ensure_database(dsn)
    pool = await create_pool(dsn, min_size=1, max_size=20)
    try:
        await migrate(pool)
        app = create_app(pool, faults, token=token, clock=clock, seed=seed)
        server = EmbeddedServer(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
        serving = await start_server(server)
        try:
            yield f"http://{host}:{bound_port(server)}", app
        finally:
            await stop_server(server, serving)
    finally:
        await pool.close()
