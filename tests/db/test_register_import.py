"""Importing an extract of the national register: what loads, what refuses the file, what it changes."""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date
from itertools import islice
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from bench.register_extract import write_extract as write_synthetic_extract
from clock import SYSTEM_CLOCK
from db.pool import DEFAULT_GUARDS, create_pool
from db.register_file import ExtractRefused
from db.register_import import MAX_ERRORS, RegisterChanged, import_extract
from db.registry import allocate_iin, find_matches, register_person
from iin_models.enums import Sex
from iin_models.national_register import Registrant
from rules.iin import usable_serials
from rules.matching import Band, MatchBasis, registry_keys
from rules.names import fold
from tests.db.register_rows import cyrillic_holder, holder, new_iin, write_extract
from tests.factories import make_applicant, make_application, make_document

TABLES = ("people", "person_documents", "people_name_keys", "register_imports")


async def counts(pool: asyncpg.Pool) -> dict[str, int]:
    async with pool.acquire() as conn:
        return {table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}


async def refusal(pool: asyncpg.Pool, path: Path) -> ExtractRefused:
    with pytest.raises(ExtractRefused) as refused:
        await import_extract(pool, path, SYSTEM_CLOCK.now())
    return refused.value


async def registered(pool: asyncpg.Pool, iin: str) -> asyncpg.Record | None:
    async with pool.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM people WHERE iin = $1", iin)


async def test_a_good_file_registers_each_holder_with_document_patronymic_and_name_keys(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    rows = [holder(), cyrillic_holder(), cyrillic_holder(given_names="Қайрат", patronymic="")]
    path = write_extract(tmp_path / "extract.csv", *rows)

    report = await import_extract(pool, path, SYSTEM_CLOCK.now())

    assert (report.rows, report.people_added, report.documents_added) == (3, 3, 3)
    async with pool.acquire() as conn:
        for row in rows:
            person = await conn.fetchrow("SELECT * FROM people WHERE iin = $1", row["iin"])
            assert person is not None and person["application_id"] is None
            assert person["import_id"] == report.import_id
            assert person["patronymic"] == (row["patronymic"] or None)
            document = await conn.fetchval(
                "SELECT iin FROM person_documents WHERE issuing_state = $1 AND number = $2",
                row["document_issuing_state"],
                row["document_number"],
            )
            assert document == row["iin"]
            keys = registry_keys(row["surname"], row["given_names"], row["patronymic"] or None)
            stored = await conn.fetch("SELECT name_key, full_name FROM people_name_keys WHERE iin = $1", row["iin"])
            assert {(r["name_key"], r["full_name"]) for r in stored} == {(k, True) for k in keys.full} | {
                (k, False) for k in keys.partial
            }


async def test_a_holder_registered_in_cyrillic_applying_in_latin_with_a_new_passport_is_a_certain_match(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    row = cyrillic_holder()
    await import_extract(pool, write_extract(tmp_path / "extract.csv", row), SYSTEM_CLOCK.now())
    applicant = make_applicant(
        surname=fold(row["surname"]),
        given_names=fold(row["given_names"]),
        sex=Sex(row["sex"]),
        birth_date=date.fromisoformat(row["birth_date"]),
        citizenship="RU",
    )
    application = make_application(applicant=applicant, document=make_document(issuing_state="RU"))

    async with pool.acquire() as conn:
        matches = await find_matches(conn, application)

    assert [(m.iin, m.band, m.basis) for m in matches] == [(row["iin"], Band.CERTAIN, MatchBasis.IDENTITY)]


async def test_importing_the_same_file_again_changes_nothing(pool: asyncpg.Pool, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.csv", holder(), cyrillic_holder())
    await import_extract(pool, path, SYSTEM_CLOCK.now())
    before = await counts(pool)

    again = await import_extract(pool, path, SYSTEM_CLOCK.now())

    assert (again.import_id, again.people_added, again.documents_added, again.already_registered) == (None, 0, 0, 2)
    assert await counts(pool) == before


async def test_a_registered_holder_with_the_same_particulars_gains_only_a_new_document(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    row = cyrillic_holder()
    await import_extract(pool, write_extract(tmp_path / "first.csv", row), SYSTEM_CLOCK.now())
    # The same person in Latin letters (the same name key) with a renewed passport.
    renewed = {**row, "surname": fold(row["surname"]), "given_names": fold(row["given_names"])}
    renewed["document_number"] = "N" + row["document_number"][1:]

    report = await import_extract(pool, write_extract(tmp_path / "second.csv", renewed), SYSTEM_CLOCK.now())

    assert (report.people_added, report.documents_added, report.already_registered) == (0, 1, 1)
    person = await registered(pool, row["iin"])
    assert person is not None and person["surname"] == row["surname"]  # the registered name is kept


async def test_an_iin_listed_twice_for_the_same_person_registers_one_person_with_both_documents(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    row = holder()
    second_document = {**row, "document_issuing_state": "DE", "document_number": "D" + row["document_number"]}

    report = await import_extract(pool, write_extract(tmp_path / "x.csv", row, second_document), SYSTEM_CLOCK.now())

    assert (report.rows, report.holders, report.people_added, report.documents_added) == (2, 1, 1, 2)


async def test_namesakes_each_get_the_name_keys(pool: asyncpg.Pool, tmp_path: Path) -> None:
    first = cyrillic_holder()
    namesake = cyrillic_holder(
        surname=first["surname"], given_names=first["given_names"], patronymic=first["patronymic"]
    )
    await import_extract(pool, write_extract(tmp_path / "namesakes.csv", first, namesake), SYSTEM_CLOCK.now())

    async with pool.acquire() as conn:
        stored = [
            await conn.fetchval("SELECT count(*) FROM people_name_keys WHERE iin = $1", row["iin"])
            for row in (first, namesake)
        ]

    keys = registry_keys(first["surname"], first["given_names"], first["patronymic"])
    assert stored == [len(keys.full | keys.partial)] * 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("iin", "check digit"),
        ("iin", "12345678901"),
        ("iin", "800101700000"),
        ("surname", "R2D2"),
        ("given_names", ""),
        ("patronymic", "Ivanovich!"),
        ("sex", "M"),
        ("birth_date", "1980-02-30"),
        ("birth_date", "02.01.1980"),
        ("citizenship", "XX"),
        ("document_issuing_state", "Turkey"),
        ("document_number", "AB-123"),
    ],
    ids=lambda value: value or "empty",
)
async def test_a_bad_row_refuses_the_whole_file_naming_its_line_and_field(
    pool: asyncpg.Pool, tmp_path: Path, field: str, value: str
) -> None:
    good, bad = holder(), holder()
    if value == "check digit":
        value = bad["iin"][:11] + str((int(bad["iin"][11]) + 1) % 10)
    path = write_extract(tmp_path / "bad.csv", good, {**bad, field: value})

    refused = await refusal(pool, path)

    assert [(e.line, e.field) for e in refused.errors] == [(3, field)]
    assert await registered(pool, good["iin"]) is None


async def test_a_row_short_of_cells_is_refused_naming_the_first_missing_field(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    path = write_extract(tmp_path / "short.csv", holder())
    path.write_text(path.read_text(encoding="utf-8").rsplit(",", 2)[0] + "\n", encoding="utf-8")

    refused = await refusal(pool, path)

    assert [(e.line, e.field) for e in refused.errors] == [(2, "document_issuing_state")]


async def test_a_refusal_lists_the_first_errors_and_counts_them_all(pool: asyncpg.Pool, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "bad.csv", *(holder(sex="M") for _ in range(MAX_ERRORS + 5)))

    refused = await refusal(pool, path)

    assert len(refused.errors) == MAX_ERRORS and refused.total == MAX_ERRORS + 5
    assert refused.errors[0].line == 2


async def test_a_file_missing_a_column_is_refused_naming_it(pool: asyncpg.Pool, tmp_path: Path) -> None:
    columns = ("iin", "surname", "given_names", "sex", "birth_date", "citizenship", "document_number")
    path = write_extract(tmp_path / "columns.csv", holder(), columns=columns)

    refused = await refusal(pool, path)

    assert (refused.errors[0].line, refused.errors[0].field) == (1, "patronymic")
    assert "document_issuing_state" in refused.errors[0].message


async def test_a_file_not_in_utf8_is_refused(pool: asyncpg.Pool, tmp_path: Path) -> None:
    row = cyrillic_holder()
    path = tmp_path / "cp1251.csv"
    path.write_bytes(write_extract(tmp_path / "utf8.csv", row).read_text(encoding="utf-8").encode("cp1251"))

    refused = await refusal(pool, path)

    assert refused.errors[0].field == "row" and "utf-8" in refused.errors[0].message
    assert await registered(pool, row["iin"]) is None


async def test_columns_in_any_order_and_extra_columns_load(pool: asyncpg.Pool, tmp_path: Path) -> None:
    row = {**holder(), "channel": "egov_portal"}
    columns = ("channel", *reversed(tuple(holder())))
    path = write_extract(tmp_path / "reordered.csv", row, columns=columns)

    await import_extract(pool, path, SYSTEM_CLOCK.now())

    assert await registered(pool, row["iin"]) is not None


async def test_one_iin_for_two_people_in_the_file_refuses_it(pool: asyncpg.Pool, tmp_path: Path) -> None:
    first = holder()
    other = holder(iin=first["iin"], birth_date="1931-03-03")

    refused = await refusal(pool, write_extract(tmp_path / "twice.csv", first, other))

    assert [(e.line, e.field) for e in refused.errors] == [(3, "iin")]
    assert "line 2" in refused.errors[0].message and "birth date" in refused.errors[0].message


async def test_one_document_for_two_iins_in_the_file_refuses_it(pool: asyncpg.Pool, tmp_path: Path) -> None:
    first = holder()
    other = holder(document_number=first["document_number"])

    refused = await refusal(pool, write_extract(tmp_path / "twice.csv", first, other))

    assert [(e.line, e.field) for e in refused.errors] == [(3, "document_number")]


async def test_an_iin_the_service_formed_for_another_person_refuses_the_file(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    application = make_application()
    iin = new_iin(application.applicant.birth_date, application.applicant.sex)
    async with pool.acquire() as conn:
        await register_person(conn, iin, Registrant.of(application))
    good = holder()

    refused = await refusal(pool, write_extract(tmp_path / "taken.csv", good, holder(iin=iin)))

    assert [(e.line, e.field) for e in refused.errors] == [(3, "iin")]
    assert "registered to another person" in refused.errors[0].message
    assert await registered(pool, good["iin"]) is None


async def test_a_document_registered_to_another_person_refuses_the_file(pool: asyncpg.Pool, tmp_path: Path) -> None:
    owner = holder()
    await import_extract(pool, write_extract(tmp_path / "owner.csv", owner), SYSTEM_CLOCK.now())
    good, taker = holder(), holder(document_number=owner["document_number"])

    refused = await refusal(pool, write_extract(tmp_path / "taker.csv", good, taker))

    assert [(e.line, e.field) for e in refused.errors] == [(3, "document_number")]
    assert await registered(pool, good["iin"]) is None


@pytest_asyncio.fixture
async def short_lock_pool(database_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool whose sessions wait 200 ms at most for a lock."""
    pool = await create_pool(database_dsn, min_size=1, max_size=1, guards=replace(DEFAULT_GUARDS, lock_timeout_ms=200))
    yield pool
    await pool.close()


async def test_an_iin_registered_meanwhile_by_another_transaction_writes_nothing(
    pool: asyncpg.Pool, short_lock_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    good, raced = holder(), holder()
    path = write_extract(tmp_path / "raced.csv", good, raced)
    async with pool.acquire() as conn:
        allocation = conn.transaction()
        await allocation.start()
        try:
            # An allocation of the same IIN, not yet committed: the import's check cannot see it.
            await conn.execute(
                """INSERT INTO people (iin, surname, given_names, name_key, sex, birth_date, citizenship)
                   VALUES ($1, 'OTHER', 'PERSON', 'OTHER PERSON', 'male', '1990-01-01', 'TR')""",
                raced["iin"],
            )
            with pytest.raises(RegisterChanged):
                await import_extract(short_lock_pool, path, SYSTEM_CLOCK.now())
        finally:
            await allocation.rollback()

    assert await registered(pool, good["iin"]) is None


async def test_allocation_never_hands_out_an_imported_iin(pool: asyncpg.Pool, tmp_path: Path) -> None:
    birth_date, sex = date.fromisoformat(holder()["birth_date"]), Sex.FEMALE
    first_serials = [iin for _, iin in islice(usable_serials(birth_date, sex), 3)]
    # One holder is a post-2013 IIN: its digits are that birth date, the holder's own birth date is not.
    rows = [holder(iin=iin, sex=sex.value) for iin in first_serials[:2]]
    rows.append(holder(iin=first_serials[2], sex=sex.value, birth_date="1985-05-05"))
    await import_extract(pool, write_extract(tmp_path / "holders.csv", *rows), SYSTEM_CLOCK.now())

    async with pool.acquire() as conn, conn.transaction():
        allocated = [await allocate_iin(conn, birth_date, sex) for _ in range(3)]

    assert not set(allocated) & set(first_serials)
    assert allocated[0] == next(iin for _, iin in islice(usable_serials(birth_date, sex), 3, None))


async def test_a_file_of_many_chunks_loads_through_the_process_pool(pool: asyncpg.Pool, tmp_path: Path) -> None:
    path = tmp_path / "synthetic.csv"
    # Serials from 9000 on: no other test's holder or formed IIN has one that high on these dates.
    write_synthetic_extract(path, 300, seed=16, first_serial=9000)

    report = await import_extract(pool, path, SYSTEM_CLOCK.now(), chunk_bytes=4096, workers=2)

    assert (report.rows, report.people_added, report.documents_added) == (300, 300, 300)
    async with pool.acquire() as conn:
        keyless = await conn.fetchval(
            """SELECT count(*) FROM people p WHERE import_id = $1
               AND NOT EXISTS (SELECT FROM people_name_keys k WHERE k.iin = p.iin)""",
            report.import_id,
        )
    assert keyless == 0
