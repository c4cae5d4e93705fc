"""Importing an extract of the national register into the embedded register, all or nothing.

In one transaction: the rows are validated and staged with COPY into temporary tables
(db/register_file.py), checked against each other and against the register, set-based, and the new
holders, their documents and name keys written with INSERT ... SELECT. The name keys, costly to
derive, are derived only for the new holders, by a pool of processes, while PostgreSQL adds the
people. Any bad row or conflict refuses the whole file, naming lines and fields, and nothing is
written. A registration by another transaction after the check (an allocation of one of the file's
IINs, a document registered) fails on a unique key: nothing is written either (RegisterChanged).

Idempotent by IIN: a holder whose IIN is already registered with the same particulars (name key,
sex, birth date, citizenship) is left as it is, and only a document of theirs the register lacks is
added, as the register keeps every document seen for a person. An IIN registered with other
particulars is refused: the register cannot tell a renamed holder from a mistyped IIN. A file that
adds nothing writes nothing, not even a row of register_imports.
"""

import io
import os
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Protocol

import asyncpg

from db.pool import Connection
from db.process_pool import ChunkPool
from db.register_file import (
    ExtractRefused,
    NameRow,
    RowError,
    distinct_names,
    name_key_copy,
    open_extract,
    stage_rows,
    survey,
)
from db.register_import_sql import (
    ADD_DOCUMENTS,
    ADD_NAME_KEYS,
    ADD_PEOPLE,
    ANALYZE_HOLDERS,
    ANALYZE_KEYS,
    CONFLICTS,
    COUNT_DOCUMENTS,
    CREATE_STAGE_HOLDERS,
    CREATE_STAGE_KEYS,
    HOLDER_COLUMNS,
    HOLDERS,
    NEW_NAMES,
    NEW_PEOPLE,
    RECORD_IMPORT,
    STAGE_HOLDERS,
    STAGE_KEYS,
)

# Bytes of the file validated at a time: some 20,000 rows of a typical extract.
CHUNK_BYTES = 2 << 20
# Names per chunk of key derivation (a second or two of a process's work), and how many chunks may
# be derived ahead of their COPY: enough for a million holders' names to be derived while the rows
# are checked and the people and documents added, each chunk some 2 MB of COPY text.
KEY_CHUNK = 5_000
KEYS_AHEAD = 128
# Errors listed when a file is refused; the total is always given.
MAX_ERRORS = 20
# The import's transaction, against the session guards (db/pool.py) set for the service's steps.
_SETTINGS = (
    # At a million rows a statement runs for tens of seconds; lock_timeout stays, as a lock wait
    # here means a race with an allocation (RegisterChanged).
    "SET LOCAL statement_timeout = 0",
    # Between two COPYs the transaction waits for the chunks its processes validate,
    # normally a second or two; the session's 15 s would leave too little room on a loaded machine.
    "SET LOCAL idle_in_transaction_session_timeout = 60000",
    # Sorts millions of name keys into the index's order in memory rather than on disk.
    "SET LOCAL work_mem = '256MB'",
)


class ImportProgress(Protocol):
    """What the import reports as it goes (the command draws it as progress bars)."""

    def begin(self, description: str, total: int | None = None) -> None:
        """A stage begins, of `total` items if they are counted; the one before it is done."""

    def advance(self, items: int) -> None:
        """`items` more items of the current stage are done."""


class Silent:
    """Progress that nobody watches."""

    def begin(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, items: int) -> None:
        pass


@dataclass(frozen=True)
class ImportReport:
    """What an import did: `import_id` is None when the file added nothing (nothing was written)."""

    rows: int
    holders: int
    people_added: int
    documents_added: int
    import_id: int | None

    @property
    def already_registered(self) -> int:
        """Holders of the file the register already had."""
        return self.holders - self.people_added


class RegisterChanged(Exception):
    """Another transaction registered an IIN or document of the file meanwhile; nothing was imported."""


async def _stage_holders(
    conn: Connection, path: Path, chunk_bytes: int, processes: ChunkPool, progress: ImportProgress
) -> int:
    """Validate and stage every row of `path`; return the rows; raise ExtractRefused on a bad row."""
    extract = open_extract(path, chunk_bytes)
    errors: list[RowError] = []
    total_errors = rows = 0
    async with aclosing(processes.map(partial(stage_rows, extract.index), extract.blocks)) as chunks:
        async for staged in chunks:
            rows += staged.rows
            total_errors += len(staged.errors)
            errors.extend(staged.errors[: MAX_ERRORS - len(errors)])
            if not total_errors:  # once the file is refused, the rest is only validated
                await conn.copy_to_table(
                    STAGE_HOLDERS, source=io.BytesIO(staged.copy), columns=HOLDER_COLUMNS, schema_name="pg_temp"
                )
            progress.advance(staged.rows)
    if total_errors:
        raise ExtractRefused(sorted(errors, key=lambda e: e.line), total_errors)
    return rows


async def _refuse_conflicts(conn: Connection, query: str) -> None:
    """Raise ExtractRefused if a staged row names another person than the file or the register does."""
    conflicts = await conn.fetch(query, MAX_ERRORS)
    if conflicts:
        errors = [RowError(r["line"], r["field"], r["message"]) for r in conflicts]
        raise ExtractRefused(errors, conflicts[0]["total"])


async def streamed(
    blocks: AsyncIterator[bytes], chunks: list[list[NameRow]], progress: ImportProgress
) -> AsyncIterator[bytes]:
    """The COPY blocks of `chunks`' name keys, in order, counting each chunk's names as done."""
    for chunk in chunks:
        yield await anext(blocks)
        progress.advance(len(chunk))


class _NothingNew(Exception):
    """Raised inside the transaction to roll it back: the file adds nothing, as `report` says."""

    def __init__(self, report: "ImportReport") -> None:
        super().__init__(report)
        self.report = report


@dataclass(frozen=True)
class _File:
    path: Path
    sha256: str
    rows: int


async def _write(
    conn: Connection, file: _File, now: datetime, processes: ChunkPool, progress: ImportProgress
) -> ImportReport:
    """Check the staged rows, then write the holders the register lacks, their documents and name
    keys, and any new document; raises ExtractRefused on a conflict.

    The new holders' name keys are derived by `processes` while PostgreSQL checks the rows and adds
    the people and the documents, then staged and added in the index's order. Refused, the work
    done ahead is dropped: the holders to add are known before the check, but nothing is written.
    """
    people_added = row_count(await conn.execute(NEW_PEOPLE))
    names = distinct_names(await conn.fetch(NEW_NAMES))
    chunks = [names[i : i + KEY_CHUNK] for i in range(0, len(names), KEY_CHUNK)]
    async with processes.ahead(name_key_copy, chunks, KEYS_AHEAD) as derived:
        progress.begin("checking the rows against each other and the register, name keys derived meanwhile")
        await _refuse_conflicts(conn, CONFLICTS)
        holders: int = await conn.fetchval(HOLDERS)
        import_id: int = await conn.fetchval(RECORD_IMPORT, file.path.name, file.sha256, file.rows, people_added, now)
        progress.begin("adding people")
        await conn.execute(ADD_PEOPLE, import_id)
        progress.begin("adding documents")
        documents_added = row_count(await conn.execute(ADD_DOCUMENTS))
        progress.begin("staging name keys", len(names))  # distinct names
        await conn.copy_to_table(
            STAGE_KEYS,
            source=streamed(derived, chunks, progress),
            columns=("line", "name_key", "full_name"),
            schema_name="pg_temp",
        )
    if not people_added and not documents_added:
        raise _NothingNew(ImportReport(file.rows, holders, 0, 0, None))  # leaves no trace at all
    await conn.execute(ANALYZE_KEYS)
    progress.begin("adding name keys")
    await conn.execute(ADD_NAME_KEYS)
    await conn.execute(COUNT_DOCUMENTS, import_id, documents_added)
    return ImportReport(file.rows, holders, people_added, documents_added, import_id)


def row_count(status: str) -> int:
    # The command tag's last word is the row count: "INSERT 0 42", "SELECT 42".
    return int(status.split()[-1])


async def import_extract(
    pool: asyncpg.Pool,
    path: Path,
    now: datetime,
    *,
    progress: ImportProgress | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    workers: int | None = None,
) -> ImportReport:
    """Import the extract at `path`, all or nothing, in one transaction; `now` is the import's time.

    Raises ExtractRefused (bad rows or conflicts: nothing imported), RegisterChanged (a race with an
    allocation: nothing imported, run it again) and OSError.
    """
    progress = progress or Silent()
    file = survey(path)
    # A process pool costs a second or two to start: worth it only past one chunk.
    workers = 0 if file.size <= chunk_bytes else workers or os.cpu_count() or 1
    try:
        with ChunkPool(workers) as processes:
            async with pool.acquire() as conn, conn.transaction():
                for setting in _SETTINGS:
                    await conn.execute(setting)
                await conn.execute(CREATE_STAGE_HOLDERS)
                await conn.execute(CREATE_STAGE_KEYS)
                progress.begin("validating and staging rows", file.rows)
                rows = await _stage_holders(conn, path, chunk_bytes, processes, progress)
                await conn.execute(ANALYZE_HOLDERS)
                report = await _write(conn, _File(path, file.sha256, rows), now, processes, progress)
                progress.begin("committing")
    except _NothingNew as nothing:
        return nothing.report
    except (asyncpg.UniqueViolationError, asyncpg.LockNotAvailableError) as error:
        # After the check, another transaction registered an IIN or a document of the file.
        raise RegisterChanged(str(error)) from error
    return report
