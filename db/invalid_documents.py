"""The registry of lost, stolen and invalidated identity documents, loaded from CSV files.

A file has the header `issuing_state,number,reason,reported_on,source`: an ISO 3166-1 alpha-2
state, the document number as printed (compared upper-cased, as applications store it), one of
`lost`, `stolen`, `invalidated`, an ISO date and where the report came from. A load adds new rows
and corrects known ones in one transaction and never deletes: a report withdrawn at the source is
corrected there and loaded again, so the history of what was believed stays explainable.
"""

import csv
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

import asyncpg
import pycountry

from db.pool import Connection

COLUMNS = ("issuing_state", "number", "reason", "reported_on", "source")


class InvalidationReason(StrEnum):
    LOST = "lost"
    STOLEN = "stolen"
    INVALIDATED = "invalidated"


@dataclass(frozen=True)
class InvalidDocument:
    issuing_state: str
    number: str
    reason: InvalidationReason
    reported_on: date
    source: str


class InvalidDocumentsFileError(ValueError):
    """A file that cannot be loaded; nothing of it was loaded. `line` is 1-based, the header is 1."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def _parse_row(line: int, row: dict[str, str | None]) -> InvalidDocument:
    values = {column: (row.get(column) or "").strip() for column in COLUMNS}
    state = values["issuing_state"].upper()
    if pycountry.countries.get(alpha_2=state) is None:
        raise InvalidDocumentsFileError(line, f"issuing_state {values['issuing_state']!r} is not an alpha-2 code")
    number = values["number"].upper()
    if not (number.isascii() and number.isalnum()):
        raise InvalidDocumentsFileError(line, "number must be letters A-Z and digits")
    try:
        reason = InvalidationReason(values["reason"].lower())
        reported_on = date.fromisoformat(values["reported_on"])
    except ValueError as error:
        raise InvalidDocumentsFileError(line, str(error)) from error
    return InvalidDocument(state, number, reason, reported_on, values["source"])


def read_file(path: Path) -> list[InvalidDocument]:
    """Parse and check a whole file; raises InvalidDocumentsFileError at the first bad row."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise InvalidDocumentsFileError(1, f"missing columns: {', '.join(sorted(missing))}")
        return [_parse_row(line, row) for line, row in enumerate(reader, start=2)]


async def load(pool: asyncpg.Pool, documents: list[InvalidDocument]) -> int:
    """Add or correct `documents` in one transaction; return how many rows were written."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.executemany(
            """INSERT INTO invalid_documents (issuing_state, number, reason, reported_on, source)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (issuing_state, number) DO UPDATE SET reason = EXCLUDED.reason,
                 reported_on = EXCLUDED.reported_on, source = EXCLUDED.source, loaded_at = now()""",
            [(d.issuing_state, d.number, d.reason.value, d.reported_on, d.source) for d in documents],
        )
    return len(documents)


async def find_invalidation(conn: Connection, issuing_state: str, number: str) -> InvalidDocument | None:
    """The report on this document, if it is registered as lost, stolen or invalidated."""
    row = await conn.fetchrow(
        "SELECT * FROM invalid_documents WHERE issuing_state = $1 AND number = $2", issuing_state, number
    )
    if row is None:
        return None
    return InvalidDocument(
        row["issuing_state"], row["number"], InvalidationReason(row["reason"]), row["reported_on"], row["source"]
    )
