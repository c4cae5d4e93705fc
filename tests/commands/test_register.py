"""`iin register import`: what the operator sees, and the exit codes, run against the session's database."""

from pathlib import Path

import pytest

from tests.db.register_rows import cyrillic_holder, holder, write_extract
from tests.toolkit.commands import run_iin as iin


@pytest.mark.usefixtures("on_test_database")
async def test_import_says_how_many_people_and_documents_it_added(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.csv", holder(), cyrillic_holder())

    result = await iin("register", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "2 rows, 2 holders; 2 people added, 0 already registered; 2 documents added" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_importing_again_says_there_is_nothing_to_import(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.csv", holder())
    await iin("register", "import", str(path))

    result = await iin("register", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "nothing to import" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_a_refused_file_exits_2_listing_line_and_field(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "bad.csv", holder(), holder(sex="M"), holder(document_number="AB-1"))

    result = await iin("register", "import", str(path))

    assert result.exit_code == 2, result.output
    assert "2 error(s); nothing was imported" in result.output
    assert "line 3, sex: Input should be 'male' or 'female'" in result.output
    assert "line 4, document_number: must be letters A-Z and digits only" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = await iin("register", "import", str(tmp_path / "absent.csv"))

    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_rekey_says_how_many_keys_it_changed_and_nothing_the_second_time() -> None:
    await iin("register", "rekey")

    result = await iin("register", "rekey")

    assert result.exit_code == 0, result.output
    assert "people: 0 stale name keys removed, 0 added or changed" in result.output
