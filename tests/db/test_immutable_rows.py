"""Rows that answer for what was done stay as written: a key changes only by its revocation, once;
decisions are never changed or removed (migration 0013); a session changes only by its logout (0014)."""

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from db.api_keys import create_key, revoke_key
from db.pool import Connection
from db.sessions import end_session, open_session

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_a_revoked_key_cannot_be_brought_back(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id="emb-tr-ankara", label="test")
        await revoke_key(conn, key.id)
        with pytest.raises(asyncpg.RaiseError, match="only a revocation"):
            await conn.execute("UPDATE api_keys SET revoked_at = NULL WHERE id = $1", key.id)


async def test_a_keys_role_cannot_be_widened(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id=None, label="test", reviewer=True)
        with pytest.raises(asyncpg.RaiseError, match="only a revocation"):
            await conn.execute("UPDATE api_keys SET reviewer = false, operator = true WHERE id = $1", key.id)


async def test_revoking_a_key_still_works(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id="emb-tr-ankara", label="test")
        revoked = await revoke_key(conn, key.id)
        again = await revoke_key(conn, key.id)
    assert revoked is not None and again is not None and again.revoked_at == revoked.revoked_at


async def _a_decision(conn: Connection) -> uuid.UUID:
    application_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO decisions (application_id, step, result, decided_at) VALUES ($1, 'review', '{}', now())",
        application_id,
    )
    return application_id


async def test_a_decision_cannot_be_changed(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        application_id = await _a_decision(conn)
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("UPDATE decisions SET result = '{\"x\": 1}' WHERE application_id = $1", application_id)


async def test_a_decision_cannot_be_deleted(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        application_id = await _a_decision(conn)
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("DELETE FROM decisions WHERE application_id = $1", application_id)


async def test_a_session_cannot_be_lengthened(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id=None, label="test")
        session, _ = await open_session(conn, key, "codec", NOW, timedelta(hours=1))
        with pytest.raises(asyncpg.RaiseError, match="only a logout"):
            await conn.execute(
                "UPDATE sessions SET expires_at = expires_at + interval '1 day' WHERE id = $1", session.id
            )


async def test_an_ended_session_cannot_be_reopened(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id=None, label="test")
        session, token = await open_session(conn, key, "codec", NOW, timedelta(hours=1))
        await end_session(conn, token, NOW)
        with pytest.raises(asyncpg.RaiseError, match="only a logout"):
            await conn.execute("UPDATE sessions SET ended_at = NULL WHERE id = $1", session.id)
