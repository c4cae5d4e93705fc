"""The duplicate check in three bands, against the registry in PostgreSQL."""

from datetime import date
from typing import Any

import asyncpg
import pytest
from temporalio.testing import ActivityEnvironment

from activities.checks import CheckActivities
from activities.iin import IinActivities
from clock import SYSTEM_CLOCK
from db import registry
from db.applications import find_status
from iin_models.application import Applicant, Application
from iin_models.enums import ApplicationState, RejectionReason, Sex
from register.embedded import EmbeddedRegister
from rules.matching import SIMILAR_NAME, Band, MatchBasis, probe_for
from schemas.contract import ApplicationInput
from service.intake import resolve
from tests.factories import make_applicant, make_application, make_document


async def resolved(pool: asyncpg.Pool, application: Application) -> ApplicationInput:
    return await resolve(pool, application, now=SYSTEM_CLOCK.now())


async def registered(pool: asyncpg.Pool, **applicant: Any) -> Application:
    """An application whose applicant now has an IIN."""
    application = make_application(applicant=make_applicant(**applicant))
    formed = await ActivityEnvironment().run(
        IinActivities(pool, EmbeddedRegister(pool)).form_iin, await resolved(pool, application)
    )
    assert formed.iin is not None
    return application


def again(first: Application, **changes: Any) -> Application:
    """The same person applying again with a renewed passport, some particulars changed."""
    applicant = first.applicant.model_dump() | changes
    return make_application(applicant=Applicant(**applicant))


async def matches(pool: asyncpg.Pool, application: Application) -> list[tuple[Band, MatchBasis]]:
    async with pool.acquire() as conn:
        return [(m.band, m.basis) for m in await registry.find_matches(conn, application)]


CERTAIN_IDENTITY = [(Band.CERTAIN, MatchBasis.IDENTITY)]


async def test_same_document_is_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool)
    other_name = make_application(applicant=make_applicant(), document=first.document)

    assert await matches(pool, other_name) == [(Band.CERTAIN, MatchBasis.DOCUMENT)]


async def test_renewed_passport_with_the_same_particulars_is_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool)

    assert await matches(pool, again(first)) == CERTAIN_IDENTITY


async def test_cyrillic_registration_and_latin_application_are_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="Щербаков", given_names="Юрий", citizenship="RU")

    assert await matches(pool, again(first, surname="SHCHERBAKOV", given_names="YURIY")) == CERTAIN_IDENTITY


async def test_swapped_surname_and_given_names_are_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool)
    swapped = again(first, surname=first.applicant.given_names, given_names=first.applicant.surname)

    assert await matches(pool, swapped) == CERTAIN_IDENTITY


async def test_patronymic_typed_into_the_given_names_is_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="Кайратов", given_names="Асан", citizenship="KG")

    assert await matches(pool, again(first, given_names="Асан Нурланович")) == CERTAIN_IDENTITY


async def test_patronymic_filed_or_not_is_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, patronymic="Petrovich")

    assert await matches(pool, again(first, patronymic=None)) == CERTAIN_IDENTITY


async def test_same_name_and_birth_date_under_another_citizenship_is_probable(pool: asyncpg.Pool) -> None:
    first = await registered(pool)

    assert await matches(pool, again(first, citizenship="DE")) == [(Band.PROBABLE, MatchBasis.OTHER_CITIZENSHIP_OR_SEX)]


async def test_same_name_and_birth_date_with_the_other_sex_is_probable(pool: asyncpg.Pool) -> None:
    first = await registered(pool, sex=Sex.MALE)

    assert await matches(pool, again(first, sex=Sex.FEMALE)) == [(Band.PROBABLE, MatchBasis.OTHER_CITIZENSHIP_OR_SEX)]


async def test_same_number_under_another_issuing_state_and_birth_date_is_probable(pool: asyncpg.Pool) -> None:
    first = await registered(pool)
    stranger_name = make_applicant(birth_date=first.applicant.birth_date)
    mistyped_state = make_document(number=first.document.number, issuing_state="DE")

    found = await matches(pool, make_application(applicant=stranger_name, document=mistyped_state))

    assert found == [(Band.PROBABLE, MatchBasis.DOCUMENT_NUMBER)]


async def test_same_number_under_another_issuing_state_and_birth_date_elsewhere_is_no_match(
    pool: asyncpg.Pool,
) -> None:
    first = await registered(pool)
    coincidence = make_document(number=first.document.number, issuing_state="DE")

    assert await matches(pool, make_application(document=coincidence)) == []


async def test_a_second_given_name_more_is_probable(pool: asyncpg.Pool) -> None:
    first = await registered(pool)
    longer = again(first, given_names=f"{first.applicant.given_names} Maria")

    assert await matches(pool, longer) == [(Band.PROBABLE, MatchBasis.PARTIAL_NAME)]


async def test_birth_date_one_slip_away_is_probable(pool: asyncpg.Pool) -> None:
    first = await registered(pool, birth_date=date(1984, 3, 12))

    assert await matches(pool, again(first, birth_date=date(1984, 3, 21))) == [
        (Band.PROBABLE, MatchBasis.NEAR_BIRTH_DATE)
    ]


@pytest.mark.parametrize(
    ("registered_as", "applying_as"),
    [
        (("Иванов", "Игорь"), ("IVANOFF", "IGOR")),  # the old French -off, no system's
        (("Hasanova", "Leyla"), ("Hassanova", "Leila")),  # (IWANOW, Hasanowa: German systems', certain)
        (("Kowalczyk", "Agnieszka"), ("Kowalczik", "Agnieszka")),  # a slipped letter
    ],
)
async def test_similar_name_on_the_same_birth_date_is_probable(
    pool: asyncpg.Pool, registered_as: tuple[str, str], applying_as: tuple[str, str]
) -> None:
    first = await registered(pool, surname=registered_as[0], given_names=registered_as[1])
    applying = again(first, surname=applying_as[0], given_names=applying_as[1])

    assert await matches(pool, applying) == [(Band.PROBABLE, MatchBasis.SIMILAR_NAME)]


async def test_twin_with_another_given_name_is_no_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, given_names="Alexander")

    assert await matches(pool, again(first, given_names="Konstantin")) == []


async def test_icao_2013_and_old_passport_spellings_of_one_name_are_a_certain_match(pool: asyncpg.Pool) -> None:
    # Юрий in a Russian passport of 2000-2010 (MVD 782) and in its renewal (ICAO 9303).
    first = await registered(pool, surname="SHCHERBAKOV", given_names="YURIY", citizenship="RU")

    assert await matches(pool, again(first, given_names="IURII")) == CERTAIN_IDENTITY


async def test_german_spelling_of_a_name_registered_in_cyrillic_is_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="Цой", given_names="Юрий", citizenship="DE")

    assert await matches(pool, again(first, surname="ZOJ", given_names="JURIJ")) == CERTAIN_IDENTITY


async def test_kazakh_name_in_cyrillic_and_in_a_kazakh_passport_is_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="Жақсыбеков", given_names="Жақсылық", citizenship="UZ")

    assert await matches(pool, again(first, surname="ZHAKSYBEKOV", given_names="ZHAKSYLYK")) == CERTAIN_IDENTITY


async def test_kazakh_passport_and_kazakh_latin_spellings_are_a_certain_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="ZHAKSYBEKOVA", given_names="ZHANAR", citizenship="UZ")

    assert await matches(pool, again(first, surname="JAKSYBEKOVA", given_names="JANAR")) == CERTAIN_IDENTITY


async def test_ukrainian_and_russian_forms_of_one_name_are_probable(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="SHEVCHENKO", given_names="ALEKSANDR", citizenship="UA")

    assert await matches(pool, again(first, given_names="OLEKSANDR")) == [(Band.PROBABLE, MatchBasis.SIMILAR_NAME)]


async def test_twin_with_another_given_name_is_still_no_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="TSOY", given_names="YURIY", citizenship="RU")

    assert await matches(pool, again(first, surname="TSOI", given_names="YAROSLAV")) == []


async def test_stranger_is_no_match(pool: asyncpg.Pool) -> None:
    await registered(pool)

    assert await matches(pool, make_application()) == []


async def test_probable_match_moves_the_application_to_awaiting_review(pool: asyncpg.Pool) -> None:
    first = await registered(pool)
    data = await resolved(pool, again(first, citizenship="DE"))
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO applications (application_id, establishment_id, state, submitted_at, due_date, deadline)"
            " VALUES ($1, 'emb-tr-ankara', 'documents_verified', now(), current_date, now())",
            data.application.application_id,
        )

    decision = await ActivityEnvironment().run(CheckActivities(pool, EmbeddedRegister(pool)).check_duplicates, data)

    assert decision.findings == ()
    assert [f.code for f in decision.for_review] == ["probable_other_citizenship_or_sex"]
    async with pool.acquire() as conn:
        status = await find_status(conn, data.application.application_id)
    assert status is not None and status.state is ApplicationState.AWAITING_REVIEW


async def test_certain_match_rejects_without_review(pool: asyncpg.Pool) -> None:
    first = await registered(pool)

    decision = await ActivityEnvironment().run(
        CheckActivities(pool, EmbeddedRegister(pool)).check_duplicates, await resolved(pool, again(first))
    )

    assert [f.reason for f in decision.findings] == [RejectionReason.ALREADY_REGISTERED]
    assert decision.for_review == ()


async def test_forming_the_iin_is_not_refused_on_a_probable_match(pool: asyncpg.Pool) -> None:
    first = await registered(pool)
    cleared = await resolved(pool, again(first, citizenship="DE"))

    formed = await ActivityEnvironment().run(IinActivities(pool, EmbeddedRegister(pool)).form_iin, cleared)

    assert formed.iin is not None and formed.findings == ()


async def test_registering_a_person_stores_every_key_of_their_name(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="Щербакова", given_names="Юлия Сергеевна", citizenship="RU")
    probe = probe_for(first)
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT k.name_key, k.full_name FROM people_name_keys k JOIN people p USING (iin)"
            " WHERE p.application_id = $1",
            first.application_id,
        )

    assert {r["name_key"] for r in rows if r["full_name"]} == probe.keys.full
    assert {"SHCHERBAKOVA YULIYA", "IULIIA SHCHERBAKOVA"} <= probe.keys.full


async def test_registering_an_old_passport_spelling_stores_the_key_of_its_icao_spelling(pool: asyncpg.Pool) -> None:
    first = await registered(pool, surname="IVANOVA", given_names="NATALYA", citizenship="RU")
    async with pool.acquire() as conn:
        keys = await conn.fetchval(
            "SELECT array_agg(k.name_key) FROM people_name_keys k JOIN people p USING (iin)"
            " WHERE p.application_id = $1",
            first.application_id,
        )

    assert {"IVANOVA NATALYA", "IVANOVA NATALIA"} <= set(keys)  # Наталья by MVD 310, and by ICAO 9303


async def test_every_registry_query_can_be_answered_from_an_index(pool: asyncpg.Pool) -> None:
    probe = probe_for(make_application())
    queries: list[tuple[str, list[object]]] = [
        (registry.DOCUMENT_QUERY, [probe.number]),
        (registry.KEY_QUERY, [[probe.birth_date], sorted(probe.keys.full)]),
        (registry.SIMILAR_QUERY, [sorted(probe.similar_name_dates), sorted(probe.spellings), SIMILAR_NAME]),
    ]
    async with pool.acquire() as conn, conn.transaction():
        # With sequential scans priced out, a plan still scanning a table would have had no index to use.
        await conn.execute("SET LOCAL enable_seqscan = off")
        plans = ["\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {query}", *args)) for query, args in queries]

    assert [plan for plan in plans if "Seq Scan" in plan] == []
    assert all("Index" in plan for plan in plans)
