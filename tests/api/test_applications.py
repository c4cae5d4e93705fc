"""POST, GET and listing of applications: idempotency, conflicts, the status, filters and pages."""

import asyncio
from datetime import timedelta
from uuid import uuid4

import asyncpg
import httpx

from clock import SYSTEM_CLOCK
from db.applications import open_application
from iin_models.api import ApplicationAccepted, ApplicationPage
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from service.intake import resolve
from tests.factories import make_applicant, make_application
from tests.toolkit.api import ANKARA, BEIJING, Keys, bearer, final_status, submit


async def test_submission_answers_202_with_the_id_state_and_deadline(http: httpx.AsyncClient, keys: Keys) -> None:
    application = make_application()
    answer = await submit(http, application, keys.ankara)
    assert answer.status_code == 202
    accepted = ApplicationAccepted.model_validate_json(answer.content)
    assert (accepted.application_id, accepted.state) == (application.application_id, ApplicationState.SUBMITTED)
    assert accepted.deadline > application.submitted_at


async def test_the_same_body_again_answers_200_with_the_existing_application(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    application = make_application()
    first = await submit(http, application, keys.ankara)
    again = await submit(http, application, keys.ankara)
    assert (first.status_code, again.status_code) == (202, 200)
    assert (
        ApplicationAccepted.model_validate_json(again.content).deadline
        == ApplicationAccepted.model_validate_json(first.content).deadline
    )


async def test_another_body_under_the_same_id_is_a_conflict(http: httpx.AsyncClient, keys: Keys) -> None:
    application = make_application()
    await submit(http, application, keys.ankara)
    other = application.model_copy(update={"applicant": make_applicant()})
    answer = await submit(http, other, keys.ankara)
    assert answer.status_code == 409
    assert answer.json()["type"] == "https://iin.example/problems/application-conflict"


async def test_twin_submissions_at_once_start_one_application(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    application = make_application()
    answers = await asyncio.gather(*(submit(http, application, keys.ankara) for _ in range(5)))
    assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 200, 202]
    rows = await pool.fetchval(
        """SELECT (SELECT count(*) FROM api_submissions WHERE application_id = $1)
                + (SELECT count(*) FROM events WHERE application_id = $1 AND type = 'application.submitted')""",
        application.application_id,
    )
    assert rows == 2


async def test_twin_submissions_with_different_bodies_start_one_and_refuse_the_other(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    application = make_application()
    other = application.model_copy(update={"applicant": make_applicant()})
    answers = await asyncio.gather(submit(http, application, keys.ankara), submit(http, other, keys.ankara))
    assert sorted(answer.status_code for answer in answers) == [202, 409]


async def test_an_id_started_outside_the_api_is_a_conflict_and_records_no_receipt(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    application = make_application()
    async with pool.acquire() as conn:
        await open_application(conn, await resolve(pool, application, now=SYSTEM_CLOCK.now()))
    answer = await submit(http, application, keys.ankara)
    assert answer.status_code == 409
    assert "outside the API" in answer.json()["detail"]
    receipts = await pool.fetchval(
        "SELECT count(*) FROM api_submissions WHERE application_id = $1", application.application_id
    )
    assert receipts == 0


async def test_the_status_follows_the_application_to_its_certificate(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    assert status.state is ApplicationState.CERTIFICATE_ISSUED
    assert status.iin is not None and status.certificate_number is not None and status.certificate_sha256 is not None
    assert [t.state for t in status.transitions][-1] is ApplicationState.CERTIFICATE_ISSUED


async def test_a_running_application_s_status_names_the_service_period_it_is_judged_by(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = make_application()
    period = (await resolve(pool, application, now=SYSTEM_CLOCK.now())).service_period.id
    assert (await submit(http, application, keys.ankara)).status_code == 202

    answer = await http.get(f"/v1/applications/{application.application_id}", headers=bearer(keys.ankara))

    assert ApplicationStatus.model_validate_json(answer.content).service_period_id == period


async def test_an_ended_application_s_status_still_names_its_service_period(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = make_application()
    period = (await resolve(pool, application, now=SYSTEM_CLOCK.now())).service_period.id

    assert (await final_status(http, application, keys.ankara)).service_period_id == period


async def test_the_listing_filters_by_state_and_establishment(http: httpx.AsyncClient, keys: Keys) -> None:
    at_ankara = await final_status(http, make_application(), keys.ankara)
    at_beijing = await final_status(http, make_application(establishment_id=BEIJING), keys.beijing)
    answer = await http.get(
        "/v1/applications",
        params={"state": "certificate_issued", "establishment_id": ANKARA, "limit": 200},
        headers=bearer(keys.operator),
    )
    ids = {item.application_id for item in ApplicationPage.model_validate_json(answer.content).items}
    assert at_ankara.application_id in ids and at_beijing.application_id not in ids


async def test_the_listing_filters_by_submission_time_and_breach(http: httpx.AsyncClient, keys: Keys) -> None:
    earlier = make_application(submitted_at=SYSTEM_CLOCK.now() - timedelta(hours=2))
    later = make_application()
    for application in (earlier, later):
        await final_status(http, application, keys.ankara)
    params = {"submitted_from": (SYSTEM_CLOCK.now() - timedelta(hours=1)).isoformat(), "breached": "false"}
    answer = await http.get("/v1/applications", params=params | {"limit": 200}, headers=bearer(keys.ankara))
    ids = {item.application_id for item in ApplicationPage.model_validate_json(answer.content).items}
    assert later.application_id in ids and earlier.application_id not in ids
    breached = await http.get("/v1/applications", params={"breached": "true"}, headers=bearer(keys.ankara))
    assert later.application_id not in {
        i.application_id for i in ApplicationPage.model_validate_json(breached.content).items
    }


async def test_pages_follow_the_cursor_newest_first_without_overlap(http: httpx.AsyncClient, keys: Keys) -> None:
    now = SYSTEM_CLOCK.now()
    applications = [make_application(submitted_at=now - timedelta(minutes=30 + i)) for i in range(3)]
    for application in applications:
        await submit(http, application, keys.ankara)
    window = {
        "submitted_from": (now - timedelta(minutes=33)).isoformat(),
        "submitted_to": (now - timedelta(minutes=29)).isoformat(),
    }
    seen: list[object] = []
    cursor: str | None = None
    while True:
        params = window | {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = ApplicationPage.model_validate_json(
            (await http.get("/v1/applications", params=params, headers=bearer(keys.ankara))).content
        )
        seen.extend(item.application_id for item in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    mine = [a.application_id for a in applications]
    assert [i for i in seen if i in mine] == mine


async def test_an_unknown_application_is_not_found(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await http.get(f"/v1/applications/{uuid4()}", headers=bearer(keys.operator))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "https://iin.example/problems/not-found"
