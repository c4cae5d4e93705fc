"""One call to the register for most applications: the duplicate check, then the IIN if no one was found."""

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.iin import IinActivities
from clock import SYSTEM_CLOCK
from iin_models.application import Applicant, Application
from iin_models.enums import RejectionReason
from register.embedded import EmbeddedRegister
from rules.iin import is_valid_iin
from schemas.contract import ApplicationInput
from service.intake import resolve
from tests.factories import make_application


async def resolved(pool: asyncpg.Pool, application: Application) -> ApplicationInput:
    return await resolve(pool, application, now=SYSTEM_CLOCK.now())


async def people_formed_for(pool: asyncpg.Pool, application: Application) -> int:
    async with pool.acquire() as conn:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM people WHERE application_id = $1", application.application_id
        )
    return count


async def test_a_foreigner_the_register_does_not_know_gets_an_iin_in_the_same_call(pool: asyncpg.Pool) -> None:
    application = make_application()

    outcome = await ActivityEnvironment().run(
        IinActivities(pool, EmbeddedRegister(pool)).check_and_form_iin, await resolved(pool, application)
    )

    assert outcome.duplicates.findings == () and outcome.duplicates.for_review == ()
    assert outcome.formed is not None and outcome.formed.iin is not None and is_valid_iin(outcome.formed.iin)
    assert await people_formed_for(pool, application) == 1


async def test_a_retried_call_answers_what_the_first_decided_and_forms_no_second_iin(pool: asyncpg.Pool) -> None:
    application = make_application()
    data = await resolved(pool, application)
    activities = IinActivities(pool, EmbeddedRegister(pool))

    first = await ActivityEnvironment().run(activities.check_and_form_iin, data)
    retried = await ActivityEnvironment().run(activities.check_and_form_iin, data)

    assert retried == first
    assert await people_formed_for(pool, application) == 1


async def test_a_registered_foreigner_is_found_and_no_iin_is_formed(pool: asyncpg.Pool) -> None:
    activities = IinActivities(pool, EmbeddedRegister(pool))
    first = make_application()
    await ActivityEnvironment().run(activities.check_and_form_iin, await resolved(pool, first))
    again = make_application(applicant=first.applicant)

    outcome = await ActivityEnvironment().run(activities.check_and_form_iin, await resolved(pool, again))

    assert [f.reason for f in outcome.duplicates.findings] == [RejectionReason.ALREADY_REGISTERED]
    assert outcome.formed is None
    assert await people_formed_for(pool, again) == 0


async def test_a_probable_match_is_left_to_an_officer_before_any_iin_is_formed(pool: asyncpg.Pool) -> None:
    activities = IinActivities(pool, EmbeddedRegister(pool))
    first = make_application()
    await ActivityEnvironment().run(activities.check_and_form_iin, await resolved(pool, first))
    elsewhere = make_application(applicant=Applicant(**(first.applicant.model_dump() | {"citizenship": "DE"})))

    outcome = await ActivityEnvironment().run(activities.check_and_form_iin, await resolved(pool, elsewhere))

    assert [f.code for f in outcome.duplicates.for_review] == ["probable_other_citizenship_or_sex"]
    assert outcome.formed is None
    assert await people_formed_for(pool, elsewhere) == 0
