"""Where the running stack is: from the settings, or from what `iin up` recorded under the data dir."""

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import asyncpg

from config.settings import Settings, get_settings
from db.pool import create_pool

STACK_FILE = "stack.json"


@dataclass(frozen=True)
class Endpoints:
    database_url: str
    temporal_address: str
    temporal_namespace: str
    task_queue: str
    temporal_ui: str | None = None


def record(settings: Settings, endpoints: Endpoints) -> Path:
    """Write the endpoints of a running local stack, for the commands run beside it; owner only (0600).

    The file holds DATABASE_URL with its password: created afresh with the mode, never widened by a umask
    or an older file's mode.
    """
    path = settings.data_dir / STACK_FILE
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(asdict(endpoints), file, indent=2)
    return path


def forget(settings: Settings) -> None:
    """Remove the record of a stopped stack."""
    (settings.data_dir / STACK_FILE).unlink(missing_ok=True)


def resolve(settings: Settings) -> Endpoints:
    """The endpoints to use: each setting wins over what a local stack recorded."""
    recorded: dict[str, str | None] = {}
    path = settings.data_dir / STACK_FILE
    if path.exists():
        recorded = json.loads(path.read_text(encoding="utf-8"))
    database_url = settings.database_url or recorded.get("database_url")
    temporal_address = settings.temporal_address or recorded.get("temporal_address")
    if not database_url or not temporal_address:
        raise RuntimeError("no stack to talk to: start one with `make up`, or set DATABASE_URL and TEMPORAL_ADDRESS")
    return Endpoints(
        database_url=database_url,
        temporal_address=temporal_address,
        temporal_namespace=settings.temporal_namespace,
        task_queue=settings.task_queue,
        temporal_ui=recorded.get("temporal_ui"),
    )


@asynccontextmanager
async def command_pool(max_size: int = 1) -> AsyncIterator[asyncpg.Pool]:
    """A small pool for a command: on DATABASE_URL, or the local stack's PostgreSQL; no Temporal needed."""
    settings = get_settings()
    pool = await create_pool(
        settings.database_url or resolve(settings).database_url,
        min_size=1,
        max_size=max_size,
        guards=settings.session_guards(),
    )
    try:
        yield pool
    finally:
        await pool.close()
