"""The opening checks in one step: each decided and audited on its own, once, and only as far as they pass."""

import asyncio

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.assessment import AssessmentActivities
from clock import SYSTEM_CLOCK
from register.embedded import EmbeddedRegister
from schemas.contract import ApplicationInput
from service.intake import resolve
from tests.factories import make_applicant, make_application


async def resolved(pool: asyncpg.Pool, **overrides: object) -> ApplicationInput:
    return await resolve(pool, make_application(**overrides), now=SYSTEM_CLOCK.now())


async def recorded_steps(pool: asyncpg.Pool, data: ApplicationInput) -> tuple[list[str], list[str], str]:
    """The steps in the decisions table, the steps in the audit trail, and the projection's state."""
    application_id = data.application.application_id
    async with pool.acquire() as conn:
        decisions = await conn.fetch(
            "SELECT step FROM decisions WHERE application_id = $1 ORDER BY step", application_id
        )
        audited = await conn.fetch(
            "SELECT step FROM audit_events WHERE application_id = $1 ORDER BY step", application_id
        )
        state = await conn.fetchval("SELECT state FROM applications WHERE application_id = $1", application_id)
    return [r["step"] for r in decisions], [r["step"] for r in audited], state


async def test_a_clean_application_is_opened_verified_and_checked_with_one_decision_per_step(
    pool: asyncpg.Pool,
) -> None:
    data = await resolved(pool)

    assessment = await ActivityEnvironment().run(
        AssessmentActivities(pool, EmbeddedRegister(pool)).assess_application, data
    )

    assert assessment.verification.passed and assessment.requirements is not None and assessment.duplicates is not None
    steps = ["duplicates", "requirements", "submission", "verification"]
    assert await recorded_steps(pool, data) == (steps, steps, "documents_verified")


async def test_checks_after_a_rejecting_one_are_not_made(pool: asyncpg.Pool) -> None:
    data = await resolved(pool, applicant=make_applicant(citizenship="KZ"))

    assessment = await ActivityEnvironment().run(
        AssessmentActivities(pool, EmbeddedRegister(pool)).assess_application, data
    )

    assert assessment.requirements is not None and not assessment.requirements.passed
    assert assessment.duplicates is None
    steps = ["requirements", "submission", "verification"]
    assert await recorded_steps(pool, data) == (steps, steps, "rejected")


async def test_a_retry_returns_the_recorded_decisions_and_records_nothing_more(pool: asyncpg.Pool) -> None:
    data = await resolved(pool)
    activities = AssessmentActivities(pool, EmbeddedRegister(pool))

    first = await ActivityEnvironment().run(activities.assess_application, data)
    retried = await ActivityEnvironment().run(activities.assess_application, data)

    assert retried == first
    steps = ["duplicates", "requirements", "submission", "verification"]
    assert await recorded_steps(pool, data) == (steps, steps, "documents_verified")


async def test_concurrent_attempts_decide_once(pool: asyncpg.Pool) -> None:
    data = await resolved(pool)
    activities = AssessmentActivities(pool, EmbeddedRegister(pool))

    results = await asyncio.gather(*(ActivityEnvironment().run(activities.assess_application, data) for _ in range(8)))

    assert all(result == results[0] for result in results)
    steps = ["duplicates", "requirements", "submission", "verification"]
    assert await recorded_steps(pool, data) == (steps, steps, "documents_verified")
