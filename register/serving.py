"""Running the register simulator: its own database (created and migrated if new) behind uvicorn."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import uvicorn
from fastapi import FastAPI

from api.server import EmbeddedServer, bound_port, start_server, stop_server
from clock import SYSTEM_CLOCK, Clock
from db.migrate import migrate
from db.pool import create_pool
from register.simulator import Faults, create_app
from workers.embedded import ensure_database


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
    parts = urlsplit(dsn)
    await ensure_database(urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/"))
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
