"""Fixtures of the archive tests: a database of the test's own for chains tampered with."""

from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from db.pool import create_pool
from tests.toolkit.databases import Contents, fresh_database


@pytest_asyncio.fixture
async def chain_dsn(server_dsn: str) -> AsyncIterator[str]:
    """A migrated database of this test's own, so a chain tampered with here breaks no other test."""
    async with fresh_database(server_dsn, "chain", Contents.SCHEMA) as database:
        yield database.dsn


@pytest_asyncio.fixture
async def chain_pool(chain_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on `chain_dsn`."""
    pool = await create_pool(chain_dsn, min_size=1, max_size=4)
    yield pool
    await pool.close()
