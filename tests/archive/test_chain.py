"""The archive's hash chain: written once, and every change, removal or insertion named by `iin archive verify`."""

import hashlib
import uuid

import asyncpg
import pytest

from db.archive import row_hash, verify
from db.pool import Connection
from schemas.contract import workflow_id
from tests.archive.support import archive_copies
from tests.toolkit.commands import run_iin


async def tamper(pool: asyncpg.Pool, sql: str, *args: object) -> None:
    """What the table's owner can do: switch the append-only trigger off, change the table, switch it back."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("ALTER TABLE history_archive DISABLE TRIGGER history_archive_append_only")
        await conn.execute(sql, *args)
        await conn.execute("ALTER TABLE history_archive ENABLE TRIGGER history_archive_append_only")


async def refused(conn: Connection, sql: str) -> str:
    with pytest.raises(asyncpg.RaiseError) as raised:
        await conn.execute(sql)
    return str(raised.value)


async def test_update_delete_and_truncate_are_refused(chain_pool: asyncpg.Pool) -> None:
    await archive_copies(chain_pool, 1)

    async with chain_pool.acquire() as conn:
        assert "UPDATE refused" in await refused(conn, "UPDATE history_archive SET state = 'rejected'")
        assert "DELETE refused" in await refused(conn, "DELETE FROM history_archive")
        assert "TRUNCATE refused" in await refused(conn, "TRUNCATE history_archive")


async def test_an_untouched_chain_verifies(chain_pool: asyncpg.Pool) -> None:
    rows = await archive_copies(chain_pool, 4)

    result = await verify(chain_pool)

    assert result.intact and result.rows == 4
    assert (result.head_seq, result.head_hash) == (rows[-1].seq, rows[-1].row_hash)


async def test_verify_names_a_row_altered_with_the_trigger_disabled(
    chain_pool: asyncpg.Pool, chain_dsn: str, cli_env: pytest.MonkeyPatch
) -> None:
    rows = await archive_copies(chain_pool, 5)
    altered = rows[2]
    await tamper(chain_pool, "UPDATE history_archive SET history = history || ' '::bytea WHERE seq = $1", altered.seq)
    cli_env.setenv("DATABASE_URL", chain_dsn)

    result = await run_iin("archive", "verify")

    assert result.exit_code == 1, result.output
    assert f"CHANGED seq {altered.seq} application {altered.application_id}" in result.output
    assert "1 break(s)" in result.output


async def test_verify_names_a_row_rewritten_with_its_hashes_recomputed(chain_pool: asyncpg.Pool) -> None:
    rows = await archive_copies(chain_pool, 4)
    altered = rows[1]
    forged = b'{"events": []}'
    digest = hashlib.sha256(forged).hexdigest()
    fields = (altered.seq, altered.application_id, altered.workflow_id, altered.run_id, "rejected", altered.closed_at)
    rehashed = row_hash(
        *fields,
        altered.archived_at,
        digest,
        altered.prev_application_id,
        altered.prev_hash,
        access_log_sha256=altered.access_log_sha256,  # a careful forger keeps the access log's line too
    )
    await tamper(
        chain_pool,
        "UPDATE history_archive SET history = $2, history_sha256 = $3, state = 'rejected', row_hash = $4"
        " WHERE seq = $1",
        altered.seq,
        forged,
        digest,
        rehashed,
    )

    result = await verify(chain_pool)

    assert [(b.kind, b.application_id) for b in result.breaks] == [("changed", altered.application_id)]


async def test_verify_names_a_removed_row(
    chain_pool: asyncpg.Pool, chain_dsn: str, cli_env: pytest.MonkeyPatch
) -> None:
    rows = await archive_copies(chain_pool, 5)
    removed = rows[1]
    await tamper(chain_pool, "DELETE FROM history_archive WHERE seq = $1", removed.seq)
    cli_env.setenv("DATABASE_URL", chain_dsn)

    result = await run_iin("archive", "verify")

    assert result.exit_code == 1, result.output
    assert f"REMOVED seq {removed.seq} application {removed.application_id}" in result.output


async def test_verify_names_a_row_inserted_into_the_chain(chain_pool: asyncpg.Pool) -> None:
    before = await archive_copies(chain_pool, 2)
    await chain_pool.execute("SELECT nextval(pg_get_serial_sequence('history_archive', 'seq'))")  # a rolled-back append
    await archive_copies(chain_pool, 2)
    # A careful forger: the row fills the gap, links to the row before it, and its own hashes are right.
    prev, forged_id = before[-1], uuid.uuid4()
    seq, fields = prev.seq + 1, (workflow_id(forged_id), "run", "certificate_issued", prev.closed_at, prev.archived_at)
    forged_hash = row_hash(seq, forged_id, *fields, prev.history_sha256, prev.application_id, prev.row_hash)
    await chain_pool.execute(
        "INSERT INTO history_archive (seq, application_id, workflow_id, run_id, state, closed_at, archived_at,"
        " history, history_sha256, prev_application_id, prev_hash, row_hash)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        seq,
        forged_id,
        *fields,
        prev.history,
        prev.history_sha256,
        prev.application_id,
        prev.row_hash,
        forged_hash,
    )

    result = await verify(chain_pool)

    assert [(b.kind, b.seq, b.application_id) for b in result.breaks] == [("inserted", seq, forged_id)]


async def test_verify_with_an_anchor_names_a_removed_last_row(chain_pool: asyncpg.Pool) -> None:
    rows = await archive_copies(chain_pool, 3)
    anchor = (rows[-1].seq, rows[-1].row_hash)
    await tamper(chain_pool, "DELETE FROM history_archive WHERE seq = $1", rows[-1].seq)

    unanchored, anchored = await verify(chain_pool), await verify(chain_pool, anchor)

    assert unanchored.intact
    assert [(b.kind, b.seq) for b in anchored.breaks] == [("removed", rows[-1].seq)]


async def test_verify_counts_the_rows_missing_where_several_were_removed(chain_pool: asyncpg.Pool) -> None:
    rows = await archive_copies(chain_pool, 5)
    await tamper(chain_pool, "DELETE FROM history_archive WHERE seq = ANY($1::bigint[])", [rows[1].seq, rows[2].seq])

    result = await verify(chain_pool)

    assert [(b.kind, b.application_id) for b in result.breaks] == [("removed", rows[2].application_id)]
    assert "2 seq numbers are missing there" in result.breaks[0].detail
