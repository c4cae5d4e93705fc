"""After a codec key rotation the delivery loop seals webhook secrets again under the new primary key.

Each test has a database of its own: resealing touches every subscription, and the session's are
sealed with the session's ring.
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg
import pytest_asyncio

from codec.keys import KeyRing, new_key_entry
from db.api_keys import create_key
from db.pool import create_pool
from db.webhooks import Sealed, create_webhook
from events.secrets import SecretBox, reseal_secrets
from tests.toolkit.databases import fresh_database

OLD, NEW = new_key_entry("2026-11"), new_key_entry("2026-12")
SECRET = "whsec_c2VjcmV0IG9mIHRoZSByZWNlaXZlcg=="
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def own_pool(server_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a database of this test's own."""
    async with fresh_database(server_dsn, "secrets") as database:
        pool = await create_pool(database.dsn, min_size=1, max_size=2)
        yield pool
        await pool.close()


async def _subscribe_sealed_by(pool: asyncpg.Pool, box: SecretBox) -> UUID:
    webhook_id = uuid4()
    async with pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id=None, label="test")
        await create_webhook(
            conn,
            webhook_id=webhook_id,
            api_key_id=key.id,
            establishment_id=None,
            url="https://receiver.example/hook",
            event_types=None,
            secret=box.seal(webhook_id, SECRET),
            now=AT,
        )
    return webhook_id


async def test_a_secret_sealed_by_the_old_key_is_sealed_again_by_the_new_primary(own_pool: asyncpg.Pool) -> None:
    webhook_id = await _subscribe_sealed_by(own_pool, SecretBox(KeyRing.parse(OLD)))
    assert await reseal_secrets(own_pool, SecretBox(KeyRing.parse(f"{NEW},{OLD}"))) == 1
    row = await own_pool.fetchrow("SELECT secret_key_id, secret_sealed FROM webhooks WHERE id = $1", webhook_id)
    assert row is not None
    opened = SecretBox(KeyRing.parse(NEW)).open(webhook_id, Sealed(row["secret_key_id"], row["secret_sealed"]))
    assert (row["secret_key_id"], opened) == ("2026-12", SECRET)


async def test_a_secret_sealed_by_a_key_no_longer_in_the_ring_is_left_as_it_is(own_pool: asyncpg.Pool) -> None:
    await _subscribe_sealed_by(own_pool, SecretBox(KeyRing.parse(OLD)))
    assert await reseal_secrets(own_pool, SecretBox(KeyRing.parse(NEW))) == 0
