"""Reading an extract in blocks: records are cut whole, whatever they hold, and lines keep their numbers."""

import csv
from pathlib import Path

from db.register_file import COLUMNS, open_extract, stage_rows
from tests.db.register_rows import holder

NOTE = "channel_note"


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, NOTE])
        writer.writeheader()
        writer.writerows(rows)
    return path


def staged(path: Path, chunk_bytes: int) -> tuple[int, int, list[tuple[int, str]]]:
    extract = open_extract(path, chunk_bytes)
    blocks = list(extract.blocks)
    chunks = [stage_rows(extract.index, block) for block in blocks]
    errors = [(e.line, e.field) for chunk in chunks for e in chunk.errors]
    return len(blocks), sum(chunk.rows for chunk in chunks), errors


def test_a_quoted_cell_spanning_lines_is_never_cut_between_blocks(tmp_path: Path) -> None:
    # An extra column with line breaks and quotes inside, on every row, in blocks of 200 bytes.
    rows = [{**holder(), NOTE: 'moved,\nsee "file"\nof 2019'} for _ in range(30)]
    path = write_csv(tmp_path / "notes.csv", rows)

    blocks, count, errors = staged(path, chunk_bytes=200)

    assert blocks > 5
    assert (count, errors) == (30, [])


def test_a_bad_row_in_a_later_block_is_named_by_its_line_in_the_file(tmp_path: Path) -> None:
    # Each row takes three lines (its note has two line breaks): row k ends on line 1 + 3k.
    rows = [{**holder(), NOTE: "a\nb\nc"} for _ in range(40)]
    rows[29]["sex"] = "M"
    path = write_csv(tmp_path / "bad.csv", rows)

    _, count, errors = staged(path, chunk_bytes=300)

    assert (count, errors) == (40, [(1 + 3 * 30, "sex")])


def test_text_that_is_not_utf8_is_named_by_its_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mixed.csv", [holder() for _ in range(20)])
    lines = path.read_bytes().split(b"\n")
    lines[12] = lines[12].replace(b",TR,", b",\xc0\xc1,", 1)  # line 13: two bytes no UTF-8 text has
    path.write_bytes(b"\n".join(lines))

    _, _, errors = staged(path, chunk_bytes=256)

    assert errors == [(13, "row")]
