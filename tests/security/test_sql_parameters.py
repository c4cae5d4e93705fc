"""SQL only with bound parameters: no statement is built by interpolating values into its text.

Every string literal that reads as SQL is checked where it is written: an f-string, `%` or `.format()`
or a `+` that puts something into SQL text is a finding. Test harness code may put identifiers (a
database or table name it chose itself) where an identifier goes, and nothing else.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from config.settings import REPO_ROOT

# SQL as this code base writes it (keywords in capitals): a statement, or a fragment with a condition.
SQL = re.compile(
    r"^\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|COPY)\b"
    r"|\bSELECT .+ FROM\b|\bWHERE \w+ (=|<|>|IN\b|LIKE\b|IS\b)",
    re.DOTALL,
)
# Module constants (UPPER_CASE names) are code, not values: a shared column list or query head may be put in.
CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
# Where an identifier goes: right after one of these words, or inside double quotes.
IDENTIFIER_SLOT = re.compile(r'(\b(FROM|INTO|TABLE|DATABASE|UPDATE|EXISTS)\s+"?|")$', re.IGNORECASE)
SKIPPED = {".venv", ".data", "build", ".git", ".mypy_cache", ".ruff_cache"}
# The embedded stack creates its database by a name from its own settings: an identifier, double-quoted.
IDENTIFIERS_ALLOWED = ("tests/", "workers/embedded.py", "bench/")


def _python_files() -> Iterator[Path]:
    for path in REPO_ROOT.rglob("*.py"):
        if not SKIPPED & set(path.relative_to(REPO_ROOT).parts):
            yield path


def _text(node: ast.expr) -> str:
    """The literal text of a string expression, with a placeholder for each interpolated part."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) if not isinstance(v, ast.FormattedValue) else "{}" for v in node.values)
    return ""


def _interpolations_outside_identifier_slots(node: ast.JoinedStr) -> list[str]:
    found, before = [], ""
    for value in node.values:
        if isinstance(value, ast.FormattedValue):
            if not IDENTIFIER_SLOT.search(before):
                found.append(ast.unparse(value.value))
            before += "{}"
        else:
            before += _text(value)
    return found


def findings(path: Path) -> list[str]:
    """SQL built by interpolation in one file, as 'path:line: what'."""
    relative = path.relative_to(REPO_ROOT).as_posix()
    identifiers_allowed = relative.startswith(IDENTIFIERS_ALLOWED)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr) and SQL.search(_text(node)):
            values = [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
            if identifiers_allowed:
                values = _interpolations_outside_identifier_slots(node)
            values = [v for v in values if not CONSTANT.match(v)]
            found += [f"{relative}:{node.lineno}: f-string puts {v} into SQL" for v in values]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and SQL.search(_text(node.left)):
            found.append(f"{relative}:{node.lineno}: % formats SQL")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts = (node.left, node.right)
            joined = [p for p in parts if not _text(p) and not (isinstance(p, ast.Name) and CONSTANT.match(p.id))]
            if any(SQL.search(_text(p)) for p in parts) and joined:
                found.append(f"{relative}:{node.lineno}: + joins SQL with a value")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and SQL.search(_text(node.func.value))
        ):
            found.append(f"{relative}:{node.lineno}: .format() fills SQL")
    return found


def test_no_sql_is_built_from_values() -> None:
    assert [f for path in _python_files() for f in findings(path)] == []


def test_the_scan_finds_each_way_of_building_sql_from_a_value(tmp_path: Path) -> None:
    # The scan itself must catch what it looks for, in service code and in harness code alike.
    source = (
        "conn.execute(f\"SELECT * FROM people WHERE iin = '{iin}'\")\n"
        'conn.execute("DELETE FROM people WHERE iin = %s" % iin)\n'
        "conn.execute(\"UPDATE people SET surname = '{}'\".format(name))\n"
        'conn.execute("SELECT * FROM people WHERE iin = \'" + iin + "\'")\n'
        "conn.execute(f'CREATE DATABASE \"{name}\" OWNER {owner}')\n"
    )
    for where in ("db", "tests"):
        module = REPO_ROOT / where / f"_scan_probe_{tmp_path.name}.py"
        module.write_text(source, encoding="utf-8")
        try:
            found = findings(module)
        finally:
            module.unlink()
        assert len(found) == (6 if where == "db" else 5), found


def test_bound_parameters_and_quoted_identifiers_in_harness_code_pass(tmp_path: Path) -> None:
    module = REPO_ROOT / "tests" / f"_scan_probe_{tmp_path.name}.py"
    module.write_text(
        'conn.execute("SELECT * FROM people WHERE iin = $1", iin)\n'
        "admin.execute(f'DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')\n"
        'conn.fetchval(f"SELECT count(*) FROM {table}")\n',
        encoding="utf-8",
    )
    try:
        assert findings(module) == []
    finally:
        module.unlink()
