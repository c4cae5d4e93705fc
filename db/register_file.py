"""Reading an extract of the national register: the CSV file, its rows validated, their names' keys.

The header names at least COLUMNS, in any order; other columns are ignored. Every row is validated
by `schemas.register.RegisteredHolder`; a bad row is an error naming its line and field, and one
error refuses the whole file. Valid rows become records for the staging tables of
db/register_import.py, with their name key; the match keys (rules/matching.py: registry_keys) are
derived afterwards, only for the holders the register lacks.

Deriving a name's keys costs a few hundred microseconds of pure Python (transliteration), so large
files are handled in chunks by a pool of processes (`stage_rows` and `name_key_copy` run there), and
each distinct name's keys are derived once, for every line that bears it.
"""

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import asyncpg
from pydantic import ValidationError

from rules.matching import registry_keys
from rules.names import name_key
from schemas.register import RegisteredHolder

COLUMNS = (
    "iin",
    "surname",
    "given_names",
    "patronymic",
    "sex",
    "birth_date",
    "citizenship",
    "document_issuing_state",
    "document_number",
)
# Pydantic's message for a failed pattern quotes the regular expression; these say what is allowed.
_NAME_RULE = "must be letters of any script, words joined by single spaces, hyphens, apostrophes or dots"
_PATTERN_RULES = {
    "surname": _NAME_RULE,
    "given_names": _NAME_RULE,
    "patronymic": _NAME_RULE,
    "document_number": "must be letters A-Z and digits only",
}
# Distinct (surname, given names) each process remembers the name key of: some 100 MB at most.
_NAME_CACHE = 2**18

# A staged holder's columns in a COPY text row (db/register_import_sql.py: HOLDER_COLUMNS).
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# A name to derive keys from, and the lines of the holders registered under it: lines, surname,
# given names, patronymic.
NameRow = tuple[tuple[int, ...], str, str, str | None]


@dataclass(frozen=True)
class RowError:
    """Why one field of one line cannot be imported (the header is line 1)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class ExtractRefused(ValueError):
    """A file of which nothing was imported; `errors` are the first of `total`, in line order."""

    def __init__(self, errors: Sequence[RowError], total: int) -> None:
        super().__init__(f"{total} error{'s' if total != 1 else ''}, the first: {errors[0]}")
        self.errors = list(errors)
        self.total = total


@dataclass
class StagedChunk:
    """What one block of the file gave: its rows, COPY text of the good ones, errors of the others."""

    rows: int = 0
    copy: bytes = b""
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class Block:
    """Whole records of the file, as bytes, and the line the first of them begins on."""

    first_line: int
    data: bytes


@dataclass(frozen=True)
class Survey:
    """The file as a whole, read once as bytes: its digest, size, and rows for the progress bar."""

    sha256: str
    size: int
    rows: int


def survey(path: Path) -> Survey:
    """The file's SHA-256 and its number of lines after the header (rows, unless cells span lines)."""
    digest, size, lines, last = hashlib.sha256(), 0, 0, b"\n"
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
            lines += block.count(b"\n")
            last = block[-1:]
    lines += last != b"\n"  # a last line without its newline
    return Survey(digest.hexdigest(), size, max(lines - 1, 0))


def _header_index(header: Sequence[str]) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ExtractRefused([RowError(1, missing[0], f"missing from the header: {', '.join(missing)}")], 1)
    return {column: names.index(column) for column in COLUMNS}


@dataclass(frozen=True)
class Extract:
    """An open extract: where each column is, and its records in blocks (read as they are iterated)."""

    index: dict[str, int]
    blocks: Iterator[Block]


def _unreadable(line: int, error: Exception) -> RowError:
    return RowError(line, "row", f"unreadable at or after this line: {error}")


def _record_ends(data: bytes, last: bool) -> int:
    # Just after the first (or the last) newline that ends a record: one outside quotes, with an even
    # number of quote characters before it (an escaped quote is two); 0 if there is none.
    end = data.rfind(b"\n") if last else data.find(b"\n")
    while end >= 0 and data.count(b'"', 0, end) % 2:
        end = data.rfind(b"\n", 0, end) if last else data.find(b"\n", end + 1)
    return end + 1


def open_extract(path: Path, chunk_bytes: int) -> Extract:
    """Check the header and return the records in blocks of about `chunk_bytes`.

    The blocks are cut at the ends of records, found by counting quotes, not by parsing: the
    parsing is done where the block is validated (`stage_rows`, in the pool's processes), so this
    process only reads. Raises ExtractRefused (an unreadable header), OSError.
    """
    handle = path.open("rb")
    try:
        data = handle.read(chunk_bytes)
        while not (header_end := _record_ends(data, last=False)) and (more := handle.read(chunk_bytes)):
            data += more
        header_end = header_end or len(data)
        try:  # utf-8-sig: spreadsheets begin files with a BOM
            header = next(csv.reader(io.StringIO(data[:header_end].decode("utf-8-sig"), newline="")), [])
        except (UnicodeDecodeError, csv.Error) as error:  # not UTF-8 text, or not CSV
            raise ExtractRefused([_unreadable(1, error)], 1) from error
        index = _header_index(header)
    except BaseException:
        handle.close()
        raise

    def blocks() -> Iterator[Block]:
        with handle:
            line, pending = 1 + data.count(b"\n", 0, header_end), data[header_end:]
            while True:
                more = handle.read(chunk_bytes)
                pending += more
                end = _record_ends(pending, last=True) if more else len(pending)
                if end:
                    yield Block(line, pending[:end])
                    line += pending.count(b"\n", 0, end)
                    pending = pending[end:]
                if not more:
                    return

    return Extract(index, blocks())


@lru_cache(maxsize=_NAME_CACHE)
def _name_key(surname: str, given_names: str) -> str:
    return name_key(surname, given_names)


def _row_errors(line: int, error: ValidationError) -> list[RowError]:
    found = []
    for detail in error.errors():
        column = str(detail["loc"][0]) if detail["loc"] else "row"
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "string_pattern_mismatch":
            message = _PATTERN_RULES.get(column, message)
        found.append(RowError(line, column, message))
    return found


def _copy_text(cells: Sequence[str | None]) -> str:
    return "\t".join("\\N" if cell is None else cell.translate(_COPY_ESCAPES) for cell in cells) + "\n"


def _staged(line: int, holder: RegisteredHolder) -> str:
    return _copy_text(
        (
            str(line),
            holder.iin,
            holder.surname,
            holder.given_names,
            holder.patronymic,
            _name_key(holder.surname, holder.given_names),
            holder.sex.value,
            holder.birth_date.isoformat(),
            str(holder.citizenship),
            str(holder.document_issuing_state),
            holder.document_number,
        )
    )


def stage_rows(index: Mapping[str, int], block: Block) -> StagedChunk:
    """Parse and validate the records of `block`: COPY text for the good rows, errors for the others.

    Runs in the pool's processes (arguments and result cross as pickles), as does `name_key_copy`.
    """
    staged = StagedChunk()
    try:
        text = block.data.decode("utf-8")
    except UnicodeDecodeError as error:
        staged.errors.append(_unreadable(block.first_line + block.data.count(b"\n", 0, error.start), error))
        return staged
    width = max(index.values()) + 1
    reader = csv.reader(io.StringIO(text, newline=""))
    good: list[str] = []
    try:
        for cells in reader:
            line = block.first_line + reader.line_num - 1  # where the record ends, as csv counts
            if not cells:  # a blank line, such as the one many files end with
                continue
            staged.rows += 1
            if len(cells) < width:
                first_missing = min((c for c, i in index.items() if i >= len(cells)), key=index.__getitem__)
                staged.errors.append(RowError(line, first_missing, f"missing: {len(cells)} cells in this row"))
                continue
            try:
                holder = RegisteredHolder.model_validate({column: cells[i] for column, i in index.items()})
            except ValidationError as error:
                staged.errors.extend(_row_errors(line, error))
                continue
            good.append(_staged(line, holder))
    except csv.Error as error:
        staged.errors.append(_unreadable(block.first_line + reader.line_num, error))
    staged.copy = "".join(good).encode("utf-8")
    return staged


def distinct_names(rows: Iterable[asyncpg.Record]) -> list[NameRow]:
    """Rows of (line, surname, given_names, patronymic) as names, each with all its lines: names
    repeat (a common surname and given name), and each is derived once."""
    lines: dict[tuple[str, str, str | None], list[int]] = {}
    for r in rows:
        lines.setdefault((r["surname"], r["given_names"], r["patronymic"]), []).append(r["line"])
    return [(tuple(numbers), *name) for name, numbers in lines.items()]


def name_key_copy(names: Sequence[NameRow]) -> bytes:
    """The match keys of each name, once for each of its lines, as COPY text rows (line, key, full).

    Text rather than records: a third of the size to hold and to pass between processes, and the
    importing process has nothing to encode. A key is uppercase ASCII letters and spaces
    (`rules.names.fold`), so nothing in it needs escaping.
    """
    rows: list[str] = []
    for lines, surname, given_names, patronymic in names:
        keys = registry_keys(surname, given_names, patronymic)
        of_name = [f"{key}\tt\n" for key in keys.full] + [f"{key}\tf\n" for key in keys.partial]
        rows.extend(f"{line}\t{key}" for line in lines for key in of_name)
    return "".join(rows).encode("ascii")
