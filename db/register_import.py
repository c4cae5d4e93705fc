"""Importing an extract of the national register into the embedded register, all or nothing.

The rows are validated and staged with COPY into temporary tables of the import's own session
(db/register_file.py) and checked against each other and against the register, set-based; only then
are the name keys of the holders the register lacks derived and staged. One transaction checks again
(the register may have changed meanwhile) and writes the new holders, their name keys and documents
with INSERT ... SELECT. Any bad row or conflict refuses the whole file, naming lines and fields, and
nothing is written.

Idempotent by IIN: a holder whose IIN is already registered with the same particulars (name key,
sex, birth date, citizenship) is left as it is, and only a document of theirs the register lacks is
added, as the register keeps every document seen for a person. An IIN registered with other
particulars is refused: the register cannot tell a renamed holder from a mistyped IIN. A file that
adds nothing writes nothing, not even a row of register_imports.
"""

import asyncio
import os
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

import asyncpg

from db.pool import Connection
from db.register_file import ExtractRefused, NameRow, RowError, key_records, open_extract, stage_rows, survey
from db.register_import_sql import (
    ADD_DOCUMENTS,
    ADD_NAME_KEYS,
    ADD_PEOPLE,
    ANALYZE_HOLDERS,
    ANALYZE_KEYS,
    CONFLICTS,
    COUNT_DOCUMENTS,
    CREATE_STAGING,
    DROP_STAGING,
    HOLDER_COLUMNS,
    HOLDERS,
    NAMES_TO_DERIVE,
    NEW_PEOPLE,
    RECORD_IMPORT,
    STAGE_HOLDERS,
    STAGE_KEYS,
)

CHUNK_ROWS = 20_000
# Errors listed when a file is refused; the total is always given.
MAX_ERRORS = 20
# At a million rows a statement runs for tens of seconds, and the session's statement_timeout is
# for the service's millisecond statements; lock_timeout stays: a lock wait here means a race.
_NO_STATEMENT_TIMEOUT = "SET LOCAL statement_timeout = 0"

Item = TypeVar("Item")
Result = TypeVar("Result")


class ImportProgress(Protocol):
    """What the import reports as it goes (the command draws it as progress bars)."""

    def begin(self, description: str, total: int | None = None) -> None:
        """A stage begins, of `total` items if they are counted; the one before it is done."""

    def advance(self, items: int) -> None:
        """`items` more items of the current stage are done."""


class _Silent:
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


class _Processes:
    """Runs a function over chunks, in this process (`workers` 0) or in a pool of processes."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        # spawn, not fork: the parent holds an event loop and connections a forked child would share.
        self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn")) if workers else None

    def __enter__(self) -> "_Processes":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._pool is not None:
            # After a failure half way, the chunks not yet begun are dropped rather than waited for.
            self._pool.shutdown(cancel_futures=True)

    async def map(self, function: Callable[[Item], Result], chunks: Iterable[Item]) -> AsyncGenerator[Result, None]:
        """`function` of each chunk, in order; a few chunks ahead, so that every process stays busy."""
        if self._pool is None:
            for chunk in chunks:
                yield function(chunk)
            return
        loop = asyncio.get_running_loop()
        in_flight: deque[asyncio.Future[Result]] = deque()
        for chunk in chunks:
            in_flight.append(loop.run_in_executor(self._pool, function, chunk))
            if len(in_flight) > 2 * self._workers:  # bounds the memory the results take
                yield await in_flight.popleft()
        while in_flight:
            yield await in_flight.popleft()


@asynccontextmanager
async def _staging(conn: Connection) -> AsyncIterator[None]:
    # Temporary tables live as long as the session, and a pooled session outlives the import.
    await conn.execute(DROP_STAGING)
    await conn.execute(CREATE_STAGING)
    try:
        yield
    finally:
        await conn.execute(DROP_STAGING)


async def _stage_holders(
    conn: Connection, path: Path, chunk_rows: int, processes: _Processes, progress: ImportProgress
) -> int:
    """Validate and stage every row of `path`; return the rows; raise ExtractRefused on a bad row."""
    extract = open_extract(path, chunk_rows)
    errors: list[RowError] = []
    total_errors = rows = 0
    async with aclosing(processes.map(partial(stage_rows, extract.index), extract.chunks)) as chunks:
        async for staged in chunks:
            rows += staged.rows
            total_errors += len(staged.errors)
            errors.extend(staged.errors[: MAX_ERRORS - len(errors)])
            if not total_errors:  # once the file is refused, the rest is only validated
                await conn.copy_records_to_table(STAGE_HOLDERS, records=staged.holders, columns=HOLDER_COLUMNS)
            progress.advance(staged.rows)
    if total_errors:
        raise ExtractRefused(errors, total_errors)
    return rows


async def _refuse_conflicts(conn: Connection) -> None:
    """Raise ExtractRefused if a staged row names another person than the file or the register does."""
    conflicts = await conn.fetch(CONFLICTS, MAX_ERRORS)
    if conflicts:
        errors = [RowError(r["line"], r["field"], r["message"]) for r in conflicts]
        raise ExtractRefused(errors, conflicts[0]["total"])


async def _stage_keys(conn: Connection, chunk_rows: int, processes: _Processes, progress: ImportProgress) -> None:
    """Derive and stage the match keys of each holder the register lacks (by the name of their first line)."""
    async with conn.transaction(readonly=True):
        await conn.execute(_NO_STATEMENT_TIMEOUT)
        rows = await conn.fetch(NAMES_TO_DERIVE)
    names: list[NameRow] = [(r["line"], r["surname"], r["given_names"], r["patronymic"]) for r in rows]
    progress.begin("deriving name keys", len(names))
    chunks = [names[i : i + chunk_rows] for i in range(0, len(names), chunk_rows)]
    async with aclosing(processes.map(key_records, chunks)) as derived:
        async for chunk, records in _paired(chunks, derived):
            await conn.copy_records_to_table(STAGE_KEYS, records=records, columns=("line", "name_key", "full_name"))
            progress.advance(len(chunk))


async def _paired(items: list[Item], results: AsyncIterator[Result]) -> AsyncIterator[tuple[Item, Result]]:
    # processes.map keeps the order of its chunks, so the n-th result is of the n-th chunk.
    for item in items:
        yield item, await anext(results)


class _NothingNew(Exception):
    """Raised inside the transaction to roll it back: the file adds nothing."""

    def __init__(self, holders: int) -> None:
        super().__init__(holders)
        self.holders = holders


async def _write(
    conn: Connection, path: Path, sha256: str, rows: int, now: datetime, progress: ImportProgress
) -> ImportReport:
    """Check the staged rows again and write what is new, in one transaction."""
    try:
        async with conn.transaction():
            await conn.execute(_NO_STATEMENT_TIMEOUT)
            await conn.execute(ANALYZE_KEYS)
            progress.begin("checking again, in the writing transaction")
            await _refuse_conflicts(conn)
            people_added = _count(await conn.execute(NEW_PEOPLE))
            holders: int = await conn.fetchval(HOLDERS)
            import_id: int = await conn.fetchval(RECORD_IMPORT, path.name, sha256, rows, people_added, now)
            progress.begin("adding people")
            await conn.execute(ADD_PEOPLE, import_id)
            progress.begin("adding name keys")
            await conn.execute(ADD_NAME_KEYS)
            progress.begin("adding documents")
            documents_added = _count(await conn.execute(ADD_DOCUMENTS))
            if not people_added and not documents_added:
                raise _NothingNew(holders)  # rolls the import's row back: it leaves no trace at all
            await conn.execute(COUNT_DOCUMENTS, import_id, documents_added)
            progress.begin("committing")
    except _NothingNew as nothing:
        return ImportReport(rows, nothing.holders, 0, 0, None)
    return ImportReport(rows, holders, people_added, documents_added, import_id)


def _count(status: str) -> int:
    # The command tag's last word is the row count: "INSERT 0 42", "SELECT 42".
    return int(status.split()[-1])


async def import_extract(
    pool: asyncpg.Pool,
    path: Path,
    now: datetime,
    *,
    progress: ImportProgress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    workers: int | None = None,
) -> ImportReport:
    """Import the extract at `path`, all or nothing; `now` is recorded as the time of the import.

    Raises ExtractRefused (bad rows or conflicts: nothing imported), RegisterChanged (a race with an
    allocation: nothing imported, run it again) and OSError.
    """
    progress = progress or _Silent()
    file = survey(path)
    # A process pool costs a second or two to start: worth it only past one chunk.
    processes = 0 if file.rows <= chunk_rows else workers or os.cpu_count() or 1
    with _Processes(processes) as pool_of_processes:
        async with pool.acquire() as conn, _staging(conn):
            progress.begin("validating and staging rows", file.rows)
            rows = await _stage_holders(conn, path, chunk_rows, pool_of_processes, progress)
            progress.begin("checking the rows against each other and the register")
            async with conn.transaction():
                await conn.execute(_NO_STATEMENT_TIMEOUT)
                await conn.execute(ANALYZE_HOLDERS)
                await _refuse_conflicts(conn)
            await _stage_keys(conn, chunk_rows, pool_of_processes, progress)
            try:
                return await _write(conn, path, file.sha256, rows, now, progress)
            except (asyncpg.UniqueViolationError, asyncpg.LockNotAvailableError) as error:
                raise RegisterChanged(str(error)) from error
