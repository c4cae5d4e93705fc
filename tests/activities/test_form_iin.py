"""IIN formation: idempotent per application, unique under concurrency, one IIN per person."""

import asyncio
from datetime import date

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.iin import IinActivities
from clock import SYSTEM_CLOCK
from iin_models.enums import Sex
from register.embedded import EmbeddedRegister
from rules.iin import is_valid_iin
from schemas.contract import ApplicationInput
from service.intake import resolve
from tests.factories import make_applicant, make_application


async def resolved(pool: asyncpg.Pool, **overrides: object) -> ApplicationInput:
    return await resolve(pool, make_application(**overrides), now=SYSTEM_CLOCK.now())


async def test_forming_twice_for_one_application_returns_the_same_iin(pool: asyncpg.Pool) -> None:
    data = await resolved(pool)
    activities = IinActivities(pool, EmbeddedRegister(pool))
    env = ActivityEnvironment()

    first = await env.run(activities.form_iin, data)
    retried = await env.run(activities.form_iin, data)

    assert first.iin is not None and is_valid_iin(first.iin)
    assert retried == first
    async with pool.acquire() as conn:
        count = await conn.fetchval(
            "SELECT count(*) FROM people WHERE application_id = $1", data.application.application_id
        )
    assert count == 1


async def test_concurrent_retries_of_one_application_form_one_iin(pool: asyncpg.Pool) -> None:
    data = await resolved(pool)
    activities = IinActivities(pool, EmbeddedRegister(pool))

    results = await asyncio.gather(*(ActivityEnvironment().run(activities.form_iin, data) for _ in range(10)))

    assert len({r.iin for r in results}) == 1


async def test_concurrent_allocations_for_one_birth_date_get_distinct_iins(pool: asyncpg.Pool) -> None:
    birth = date(1977, 3, 14)
    people = [await resolved(pool, applicant=make_applicant(birth_date=birth, sex=Sex.FEMALE)) for _ in range(20)]
    activities = IinActivities(pool, EmbeddedRegister(pool))

    results = await asyncio.gather(*(ActivityEnvironment().run(activities.form_iin, p) for p in people))

    iins = [r.iin for r in results]
    assert None not in iins
    assert len(set(iins)) == 20
    assert all(iin is not None and iin.startswith("7703144") for iin in iins)


async def test_same_person_at_two_establishments_at_once_gets_one_iin(pool: asyncpg.Pool) -> None:
    applicant = make_applicant()
    in_ankara = await resolved(pool, applicant=applicant)
    in_istanbul = await resolved(pool, applicant=applicant, establishment_id="cg-tr-istanbul")
    activities = IinActivities(pool, EmbeddedRegister(pool))

    results = await asyncio.gather(
        ActivityEnvironment().run(activities.form_iin, in_ankara),
        ActivityEnvironment().run(activities.form_iin, in_istanbul),
    )

    formed = [r for r in results if r.iin is not None]
    refused = [r for r in results if r.iin is None]
    assert len(formed) == 1 and len(refused) == 1
    assert refused[0].findings[0].code == "registered_by_identity"


async def test_serials_already_used_by_people_registered_elsewhere_are_skipped(pool: asyncpg.Pool) -> None:
    birth = date(1969, 7, 20)
    data = await resolved(pool, applicant=make_applicant(birth_date=birth, sex=Sex.MALE))
    async with pool.acquire() as conn:
        # Someone registered before this service holds the first serial of that prefix.
        await conn.execute(
            """INSERT INTO people (iin, surname, given_names, name_key, sex, birth_date, citizenship)
               VALUES ('690720300006', 'ARMSTRONG', 'NEIL', 'ARMSTRONG NEIL', 'male', $1, 'US')""",
            birth,
        )

    formed = await ActivityEnvironment().run(IinActivities(pool, EmbeddedRegister(pool)).form_iin, data)

    assert formed.iin is not None and formed.iin != "690720300006"
    assert formed.iin.startswith("6907203")
