"""Hearing of new events as they commit: PostgreSQL LISTEN on the channel the events trigger notifies.

One connection listens for the whole process, and only while someone waits (a long poll, the
delivery loop): it is taken from the pool with the first waiter and given back with the last.
Each waiter gets an asyncio.Event, set when an event of its application (or, for None, any event)
commits. A lost connection wakes nobody; waiters then answer at their timeout, and the next waiter
listens on a new connection.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg

from db.events import CHANNEL

Watched = UUID | None  # an application, or None for every event


class EventListener:
    """Waiters on new events, woken by NOTIFY."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._lock = asyncio.Lock()
        self._conn: asyncpg.pool.PoolConnectionProxy | None = None
        self._waiters: dict[Watched, set[asyncio.Event]] = {}

    @asynccontextmanager
    async def watching(self, watched: Watched) -> AsyncIterator[asyncio.Event]:
        """An asyncio.Event set when an event of `watched` commits after this point."""
        woken = asyncio.Event()
        async with self._lock:
            if self._conn is not None and self._conn.is_closed():
                lost, self._conn = self._conn, None
                await self._pool.release(lost)  # the pool replaces it
            if self._conn is None:
                conn = await self._pool.acquire()
                try:
                    await conn.add_listener(CHANNEL, self._heard)
                except BaseException:
                    await self._pool.release(conn)
                    raise
                self._conn = conn
            self._waiters.setdefault(watched, set()).add(woken)
        try:
            yield woken
        finally:
            async with self._lock:
                waiting = self._waiters.get(watched, set())
                waiting.discard(woken)
                if not waiting:
                    self._waiters.pop(watched, None)
                if not self._waiters and self._conn is not None:
                    conn, self._conn = self._conn, None
                    if not conn.is_closed():
                        await conn.remove_listener(CHANNEL, self._heard)
                    await self._pool.release(conn)

    def _heard(
        self, _conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy, _pid: int, _channel: str, payload: object
    ) -> None:
        for woken in self._waiters.get(UUID(str(payload)), set()) | self._waiters.get(None, set()):
            woken.set()
