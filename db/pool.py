"""The asyncpg pool, with JSON columns decoded to Python values and the server's session guards set."""

import json
from dataclasses import dataclass
from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy


@dataclass(frozen=True)
class SessionGuards:
    """Limits the server enforces on each of the service's sessions, so that no backend outlives its use.

    The defaults fit the workflow's step timeout (30 s, workflows/application.py) and its retries:

    - `lock_timeout_ms` 10 s: a step waiting on a lock fails with LockNotAvailableError well before the
      step times out, and the retry policy runs it again, instead of the step hanging to its timeout.
      A step holds its locks for milliseconds, so a 10 s wait always means something is wrong.
    - `idle_in_transaction_timeout_ms` 15 s: a backend whose worker vanished mid-transaction (a network
      partition: no FIN, no RST) is terminated and its step locks released. Its replacement arrives after
      the workflow task timeout (10 s) and waits at most `lock_timeout_ms` more, so it usually gets the
      lock on its first attempt (10 + 10 > 15). The service never idles in a transaction on purpose.
    - `statement_timeout_ms` 20 s: no statement of the service runs for more than milliseconds; the
      server stops one the step has already given up on, before the step's 30 s run out. It is above
      `lock_timeout_ms`, so a lock wait reports itself as such (statement_timeout includes lock waits).
    - TCP keepalives (seconds): an idle session (no transaction, no locks) of a dead client only takes a
      connection slot, but would keep it until the kernel gives up (hours); probing after 30 s idle,
      every 10 s, 3 times frees it after about a minute. They are server-side: asyncpg has no client
      keepalive option, and on the client side the activity's own timeout ends a call to a dead server.
      PostgreSQL ignores them on Unix-domain sockets.

    0 turns a timeout off, as in PostgreSQL. They are sent in the startup packet (asyncpg's
    `server_settings`), so they cost no round trip; a value in the DSN's query string is overridden.
    """

    statement_timeout_ms: int = 20_000
    lock_timeout_ms: int = 10_000
    idle_in_transaction_timeout_ms: int = 15_000
    tcp_keepalives_idle_s: int = 30
    tcp_keepalives_interval_s: int = 10
    tcp_keepalives_count: int = 3

    def server_settings(self) -> dict[str, str]:
        """The guards as PostgreSQL settings, for asyncpg's `server_settings`."""
        return {
            "statement_timeout": str(self.statement_timeout_ms),
            "lock_timeout": str(self.lock_timeout_ms),
            "idle_in_transaction_session_timeout": str(self.idle_in_transaction_timeout_ms),
            "tcp_keepalives_idle": str(self.tcp_keepalives_idle_s),
            "tcp_keepalives_interval": str(self.tcp_keepalives_interval_s),
            "tcp_keepalives_count": str(self.tcp_keepalives_count),
        }


DEFAULT_GUARDS = SessionGuards()


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset: the service sets no session state (no SET, LISTEN, cursors or session locks).

    asyncpg still rolls back a transaction left open; its default reset would add a round trip
    (advisory unlock, CLOSE ALL, UNLISTEN, RESET ALL) to every release, six or more per application.
    The migration's session lock is released by the migration itself. The session guards are startup
    settings, not SETs: RESET ALL would keep them anyway.
    """


async def create_pool(
    dsn: str, *, min_size: int = 2, max_size: int = 10, guards: SessionGuards = DEFAULT_GUARDS
) -> asyncpg.Pool:
    """Open a pool on `dsn`; every connection decodes json/jsonb and runs under `guards`."""
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        server_settings=guards.server_settings(),
    )
    assert pool is not None
    return pool


# What repositories take: a bare connection or one borrowed from the pool.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy
