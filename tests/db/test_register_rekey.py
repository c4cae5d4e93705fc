"""`rekey`: after the matching rules change, everyone registered is found under the keys they give now."""

from datetime import date
from pathlib import Path

import asyncpg

from clock import SYSTEM_CLOCK
from db.register_import import import_extract
from db.register_rekey import rekey
from db.registry import find_matches
from iin_models.enums import Sex
from rules.matching import Band, registry_keys
from tests.db.register_rows import cyrillic_holder, holder, write_extract
from tests.factories import make_applicant, make_application, make_document


async def stored_keys(pool: asyncpg.Pool, iin: str) -> set[tuple[str, bool]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT name_key, full_name FROM people_name_keys WHERE iin = $1", iin)
    return {(r["name_key"], r["full_name"]) for r in rows}


def keys_now(row: dict[str, str]) -> set[tuple[str, bool]]:
    keys = registry_keys(row["surname"], row["given_names"], row["patronymic"] or None)
    return {(k, True) for k in keys.full} | {(k, False) for k in keys.partial}


async def test_stale_keys_are_removed_and_missing_ones_added(pool: asyncpg.Pool, tmp_path: Path) -> None:
    rows = [holder(), cyrillic_holder()]
    await import_extract(pool, write_extract(tmp_path / "extract.csv", *rows), SYSTEM_CLOCK.now())
    async with pool.acquire() as conn:
        # As an older release might have left them: a key today's rules no longer give, one missing.
        await conn.execute(
            "INSERT INTO people_name_keys (birth_date, name_key, iin, full_name) "
            "SELECT birth_date, 'AN OLD SPELLING', iin, true FROM people WHERE iin = $1",
            rows[0]["iin"],
        )
        await conn.execute(
            "DELETE FROM people_name_keys WHERE iin = $1 AND name_key = (SELECT min(name_key) "
            "FROM people_name_keys WHERE iin = $1)",
            rows[1]["iin"],
        )

    report = await rekey(pool)

    assert report.removed >= 1 and report.added >= 1
    for row in rows:
        assert await stored_keys(pool, row["iin"]) == keys_now(row)


async def test_rekeying_again_changes_nothing(pool: asyncpg.Pool, tmp_path: Path) -> None:
    await import_extract(pool, write_extract(tmp_path / "extract.csv", cyrillic_holder()), SYSTEM_CLOCK.now())
    await rekey(pool)

    again = await rekey(pool)

    assert (again.removed, again.added) == (0, 0)
    assert again.people >= 1


async def test_a_person_keyed_by_older_rules_is_certainly_found_under_another_romanisation_after_rekey(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    # Registered as an MVD 782 passport spells Юрий (YURIY); keyed, as before the romanisation
    # matching, only under the spelling as typed. The renewed passport says IURII (ICAO 9303).
    row = holder(surname="Ivanov", given_names="Yuriy", sex="male", birth_date="1941-05-06", citizenship="RU")
    await import_extract(pool, write_extract(tmp_path / "extract.csv", row), SYSTEM_CLOCK.now())
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM people_name_keys WHERE iin = $1 AND name_key <> 'IVANOV YURIY'", row["iin"])
    applicant = make_applicant(
        surname="Ivanov", given_names="Iurii", sex=Sex.MALE, birth_date=date(1941, 5, 6), citizenship="RU"
    )
    renewed = make_application(applicant=applicant, document=make_document(issuing_state="RU"))
    async with pool.acquire() as conn:
        before = await find_matches(conn, renewed)
    assert [m.band for m in before if m.iin == row["iin"]] == [Band.PROBABLE]  # a similar name only

    await rekey(pool)

    async with pool.acquire() as conn:
        after = await find_matches(conn, renewed)
    assert [m.band for m in after if m.iin == row["iin"]] == [Band.CERTAIN]


async def test_many_names_are_derived_through_the_process_pool(pool: asyncpg.Pool, tmp_path: Path) -> None:
    rows = [holder() for _ in range(40)]
    await import_extract(pool, write_extract(tmp_path / "extract.csv", *rows), SYSTEM_CLOCK.now())
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM people_name_keys WHERE iin = ANY($1::text[])", [r["iin"] for r in rows])

    report = await rekey(pool, chunk_names=10, workers=2)

    assert report.added >= sum(len(keys_now(row)) for row in rows)
    for row in rows:
        assert await stored_keys(pool, row["iin"]) == keys_now(row)
