"""The history archive: append an ended application's history to the hash chain; read it back; verify the chain.

Each row's row_hash covers its own fields, the SHA-256 of its history bytes and the row_hash of the
row before it, so rewriting, removing or inserting a row breaks the chain at that point, even for
someone who can disable the table's triggers. Only the last row can be removed, or a row appended,
without a break: `iin archive verify` prints the chain's head for the auditor to keep, and checks a
head kept earlier (`--anchor SEQ:HASH`) is still there.
"""

import hashlib
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

import asyncpg

from db.decisions import canonical_json
from db.pool import Connection
from db.reviews import access_rows_of

GENESIS = "0" * 64
# Any constant: one archiver at a time appends, so concurrent sweeps never fork the chain.
CHAIN_LOCK = 0x41_2C_81_7E
_COLUMNS = (
    "seq, application_id, workflow_id, run_id, state, closed_at, archived_at, history, history_sha256,"
    " prev_application_id, prev_hash, row_hash, access_log, access_log_sha256"
)


@dataclass(frozen=True)
class ArchivedHistory:
    """One row of the archive, as stored."""

    seq: int
    application_id: UUID
    workflow_id: str
    run_id: str
    state: str
    closed_at: datetime
    archived_at: datetime
    history: bytes
    history_sha256: str
    prev_application_id: UUID | None
    prev_hash: str
    row_hash: str
    # The application's review access log (db/reviews.py) as canonical JSON, and its SHA-256, which the
    # row hash covers; None in rows archived before the access log existed.
    access_log: bytes | None = None
    access_log_sha256: str | None = None

    def computed_row_hash(self) -> str:
        """The row_hash these fields call for."""
        return row_hash(
            self.seq,
            self.application_id,
            self.workflow_id,
            self.run_id,
            self.state,
            self.closed_at,
            self.archived_at,
            self.history_sha256,
            self.prev_application_id,
            self.prev_hash,
            access_log_sha256=self.access_log_sha256,
        )

    @property
    def history_intact(self) -> bool:
        """Whether the history bytes (and the access log, if kept) still have the digests recorded beside them."""
        if hashlib.sha256(self.history).hexdigest() != self.history_sha256:
            return False
        if self.access_log is None or self.access_log_sha256 is None:
            return self.access_log is None and self.access_log_sha256 is None
        return hashlib.sha256(self.access_log).hexdigest() == self.access_log_sha256


def row_hash(
    seq: int,
    application_id: UUID,
    workflow_id: str,
    run_id: str,
    state: str,
    closed_at: datetime,
    archived_at: datetime,
    history_sha256: str,
    prev_application_id: UUID | None,
    prev_hash: str,
    *,
    access_log_sha256: str | None = None,
) -> str:
    """SHA-256 over the row's fields, one per line, in a fixed order; times in UTC to the microsecond.

    The access log's digest is the last line where the row has one, so rows archived before it existed
    keep the hash they were written with.
    """
    fields = (
        str(seq),
        str(application_id),
        workflow_id,
        run_id,
        state,
        closed_at.astimezone(UTC).isoformat(timespec="microseconds"),
        archived_at.astimezone(UTC).isoformat(timespec="microseconds"),
        history_sha256,
        str(prev_application_id or ""),
        prev_hash,
    ) + ((access_log_sha256,) if access_log_sha256 is not None else ())
    return hashlib.sha256("\n".join(fields).encode()).hexdigest()


def _row(record: asyncpg.Record) -> ArchivedHistory:
    return ArchivedHistory(**dict(record.items()))


async def is_archived(conn: Connection, application_id: UUID) -> bool:
    """Whether the application's history is in the archive."""
    found = await conn.fetchval("SELECT 1 FROM history_archive WHERE application_id = $1", application_id)
    return found is not None


async def append(
    pool: asyncpg.Pool,
    application_id: UUID,
    workflow_id: str,
    run_id: str,
    state: str,
    closed_at: datetime,
    history: bytes,
    archived_at: datetime,
) -> ArchivedHistory | None:
    """Append one history to the chain, dated `archived_at`; None if archived already (nothing written)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", CHAIN_LOCK)
        if await is_archived(conn, application_id):
            return None
        head = await conn.fetchrow("SELECT application_id, row_hash FROM history_archive ORDER BY seq DESC LIMIT 1")
        seq = await conn.fetchval("SELECT nextval(pg_get_serial_sequence('history_archive', 'seq'))")
        prev_application_id, prev_hash = (head["application_id"], head["row_hash"]) if head else (None, GENESIS)
        digest = hashlib.sha256(history).hexdigest()
        # The reads of the application's comparison, all of them: it has ended, so no more come.
        access_log = canonical_json(await access_rows_of(conn, application_id)).encode()
        row = ArchivedHistory(
            seq=seq,
            application_id=application_id,
            workflow_id=workflow_id,
            run_id=run_id,
            state=state,
            closed_at=closed_at,
            archived_at=archived_at,
            history=history,
            history_sha256=digest,
            prev_application_id=prev_application_id,
            prev_hash=prev_hash,
            row_hash="",
            access_log=access_log,
            access_log_sha256=hashlib.sha256(access_log).hexdigest(),
        )
        row = ArchivedHistory(**{**row.__dict__, "row_hash": row.computed_row_hash()})
        await conn.execute(
            f"INSERT INTO history_archive ({_COLUMNS})"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            *row.__dict__.values(),
        )
        return row


async def unarchived_ended(
    conn: Connection, terminal_states: Iterable[str], after: tuple[datetime, UUID] | None, limit: int
) -> list[tuple[datetime, UUID, str]]:
    """(updated at, application id, state) of ended applications (per the projection) not yet archived.

    Keyset-paged by (updated_at, application_id) after `after`, so a sweep gets past applications it
    cannot archive (history gone) instead of meeting them first on every page.
    """
    start = after or (datetime.min.replace(tzinfo=UTC), UUID(int=0))
    rows = await conn.fetch(
        "SELECT a.updated_at, a.application_id, a.state FROM applications a WHERE a.state = ANY($1::text[])"
        " AND (a.updated_at, a.application_id) > ($2, $3)"
        " AND NOT EXISTS (SELECT 1 FROM history_archive h WHERE h.application_id = a.application_id)"
        " ORDER BY a.updated_at, a.application_id LIMIT $4",
        list(terminal_states),
        *start,
        limit,
    )
    return [(row["updated_at"], row["application_id"], row["state"]) for row in rows]


async def find(conn: Connection, application_id: UUID) -> ArchivedHistory | None:
    """The archived history of one application, if archived."""
    record = await conn.fetchrow(f"SELECT {_COLUMNS} FROM history_archive WHERE application_id = $1", application_id)
    return None if record is None else _row(record)


async def closed_between(
    pool: asyncpg.Pool, since: datetime, until: datetime | None = None, *, prefetch: int = 100
) -> AsyncIterator[ArchivedHistory]:
    """The archived histories of applications closed in [since, until), by closing time, streamed."""
    async with pool.acquire() as conn, conn.transaction():
        query = f"SELECT {_COLUMNS} FROM history_archive WHERE closed_at >= $1 AND closed_at < $2 ORDER BY closed_at"
        async for record in conn.cursor(query, since, until or datetime.max.replace(tzinfo=UTC), prefetch=prefetch):
            yield _row(record)


BreakKind = Literal["changed", "removed", "inserted"]


@dataclass(frozen=True)
class Break:
    """Where the chain breaks, and which application the break names."""

    kind: BreakKind
    seq: int
    application_id: UUID | None
    detail: str


@dataclass
class Verification:
    """The outcome of a walk over the chain."""

    rows: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


@dataclass(frozen=True)
class _Link:
    seq: int
    application_id: UUID | None
    row_hash: str


_START = _Link(0, None, GENESIS)


_Pair = tuple[ArchivedHistory, ArchivedHistory | None]


async def _with_next(rows: AsyncIterator[ArchivedHistory]) -> AsyncIterator[_Pair]:
    previous: ArchivedHistory | None = None
    async for row in rows:
        if previous is not None:
            yield previous, row
        previous = row
    if previous is not None:
        yield previous, None


async def verify_rows(rows: AsyncIterator[ArchivedHistory], anchor: tuple[int, str] | None = None) -> Verification:
    """Walk `rows` in seq order; name each changed, removed or inserted row.

    A row links when its prev_hash is the row_hash of the last row accepted into the chain. One that
    does not is an insertion when the row after it links past it; else the row it names as its
    predecessor was removed, or (named, yet with another hash) rewritten with its hashes recomputed.
    """
    result = Verification()
    before, last = _START, _START
    anchored = anchor is None
    async for row, following in _with_next(rows):
        result.rows += 1
        if not row.history_intact:
            result.breaks.append(
                Break("changed", row.seq, row.application_id, "history or access log differs from its SHA-256")
            )
        elif row.computed_row_hash() != row.row_hash:
            result.breaks.append(Break("changed", row.seq, row.application_id, "fields differ from the row hash"))
        if anchor is not None and row.seq == anchor[0]:
            anchored = row.row_hash == anchor[1]
        link = _Link(row.seq, row.application_id, row.row_hash)
        if row.prev_hash == last.row_hash:
            before, last = last, link
            continue
        if following is not None and following.prev_hash == last.row_hash:
            _reclassify(result.breaks, Break("inserted", row.seq, row.application_id, _between(last, following)))
            continue
        if row.prev_hash == before.row_hash and last is not _START:
            _reclassify(result.breaks, Break("inserted", last.seq, last.application_id, "the next row links past it"))
            last = link
            continue
        if row.prev_application_id is not None and row.prev_application_id != last.application_id:
            detail = f"was {_between(last, row)}, which names it as its predecessor"
            if row.seq - last.seq > 2:  # only the last of several removed rows is named by the row after them
                detail += f"; {row.seq - last.seq - 1} seq numbers are missing there"
            result.breaks.append(Break("removed", row.seq - 1, row.prev_application_id, detail))
        elif row.prev_application_id is None:
            result.breaks.append(Break("inserted", row.seq, row.application_id, "claims to be the first row"))
        else:
            detail = f"rewritten with its hashes recomputed: seq {row.seq} ({row.application_id}) recorded another hash"
            result.breaks.append(Break("changed", last.seq, last.application_id, detail))
        before, last = last, link
    result.head_seq, result.head_hash = last.seq, last.row_hash
    if not anchored and anchor is not None:
        result.breaks.append(Break("removed", anchor[0], None, f"the anchored head {anchor[0]}:{anchor[1]} is gone"))
    return result


def _between(last: _Link, following: _Link | ArchivedHistory) -> str:
    return f"between seq {last.seq} ({last.application_id}) and seq {following.seq} ({following.application_id})"


def _reclassify(breaks: list[Break], found: Break) -> None:
    # An inserted row's own hash errors are part of the insertion, not further changes.
    breaks[:] = [b for b in breaks if not (b.seq == found.seq and b.kind == "changed")]
    breaks.append(found)


async def verify(pool: asyncpg.Pool, anchor: tuple[int, str] | None = None, *, prefetch: int = 200) -> Verification:
    """Verify the whole chain, streamed through a server-side cursor (memory stays flat)."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):

        async def rows() -> AsyncIterator[ArchivedHistory]:
            async for record in conn.cursor(f"SELECT {_COLUMNS} FROM history_archive ORDER BY seq", prefetch=prefetch):
                yield _row(record)

        return await verify_rows(rows(), anchor)


def describe(breaks: Sequence[Break]) -> list[str]:
    """One line per break, for people."""
    return [f"{b.kind.upper()} seq {b.seq} application {b.application_id or '?'}: {b.detail}" for b in breaks]
