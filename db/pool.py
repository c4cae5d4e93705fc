"""The asyncpg pool, with JSON columns decoded to Python values."""

import json
from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset: the service sets no session state (no SET, LISTEN, cursors or session locks).

    asyncpg still rolls back a transaction left open; its default reset would add a round trip
    (advisory unlock, CLOSE ALL, UNLISTEN, RESET ALL) to every release, six or more per application.
    The migration's session lock is released by the migration itself.
    """


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    """Open a pool on `dsn`; every connection decodes json/jsonb."""
    pool = await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, reset=_keep_session
    )
    assert pool is not None
    return pool


# What repositories take: a bare connection or one borrowed from the pool.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy
