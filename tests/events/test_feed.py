"""GET /v1/events: scoped like applications, resumable from a cursor, long-polled; and the client's iterator."""

import asyncio
from uuid import UUID

import asyncpg
import httpx
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from iin_client import IinClient
from iin_models.api import EventPage
from iin_models.enums import ApplicationState
from iin_models.events import EventType
from iin_models.status import ApplicationStatus
from tests.factories import make_application
from tests.toolkit.api import BEIJING, Keys, bearer, final_status, idle_queue, submit
from workers.worker import build_worker


async def _feed(http: httpx.AsyncClient, token: str, after: str | None = None, wait: float = 0) -> EventPage:
    query: dict[str, str | float] = {"limit": 500, "wait": wait} | ({"after": after} if after else {})
    answer = await http.get("/v1/events", params=query, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return EventPage.model_validate_json(answer.content)


async def _all(http: httpx.AsyncClient, token: str, after: str | None = None) -> EventPage:
    items, page = [], await _feed(http, token, after)
    while page.items:
        items += page.items
        page = await _feed(http, token, page.next_cursor)
    return EventPage(items=items, next_cursor=page.next_cursor)


async def test_an_establishment_key_sees_only_its_own_applications_events(http: httpx.AsyncClient, keys: Keys) -> None:
    ankara, beijing = make_application(), make_application(establishment_id=BEIJING)
    await final_status(http, ankara, keys.ankara)
    await final_status(http, beijing, keys.beijing)
    seen = {event.application_id for event in (await _all(http, keys.ankara)).items}
    assert ankara.application_id in seen and beijing.application_id not in seen


async def test_an_operator_key_sees_every_establishments_events(http: httpx.AsyncClient, keys: Keys) -> None:
    ankara, beijing = make_application(), make_application(establishment_id=BEIJING)
    await final_status(http, ankara, keys.ankara)
    await final_status(http, beijing, keys.beijing)
    seen = {event.application_id for event in (await _all(http, keys.operator)).items}
    assert {ankara.application_id, beijing.application_id} <= seen


async def test_the_cursor_of_the_last_page_resumes_with_the_events_after_it(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    before = await _all(http, keys.ankara)
    application = make_application()
    await final_status(http, application, keys.ankara)
    after = await _all(http, keys.ankara, before.next_cursor)
    mine = [event.type for event in after.items if event.application_id == application.application_id]
    assert mine == [
        EventType.SUBMITTED,
        EventType.DOCUMENTS_VERIFIED,
        EventType.IIN_FORMED,
        EventType.CERTIFICATE_ISSUED,
    ]


async def test_events_carry_no_iin_or_personal_data(http: httpx.AsyncClient, keys: Keys) -> None:
    application = make_application()
    status = await final_status(http, application, keys.ankara)
    page = await _all(http, keys.ankara)
    text = "".join(e.model_dump_json() for e in page.items if e.application_id == application.application_id)
    assert status.iin is not None and status.iin not in text
    assert application.applicant.surname not in text and application.document.number not in text


async def test_a_cursor_not_given_out_is_a_validation_problem(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await http.get("/v1/events", params={"after": "not-a-cursor"}, headers=bearer(keys.ankara))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "after"


async def test_a_long_poll_of_the_feed_answers_when_an_event_commits(http: httpx.AsyncClient, keys: Keys) -> None:
    end = (await _all(http, keys.beijing)).next_cursor
    waiting = asyncio.create_task(_feed(http, keys.beijing, end, wait=30))
    await asyncio.sleep(0.2)
    application = make_application(establishment_id=BEIJING)
    await submit(http, application, keys.beijing)
    page = await asyncio.wait_for(waiting, 10)
    assert page.items and page.items[0].application_id == application.application_id


async def test_the_clients_iterator_resumes_from_a_cursor(iin: IinClient, http: httpx.AsyncClient, keys: Keys) -> None:
    start = (await _all(http, keys.ankara)).next_cursor
    application = make_application()
    await final_status(http, application, keys.ankara)
    first = [event async for event in iin.events(after=start, follow=False, limit=1)]
    resumed = [event async for event in iin.events(after=first[0].cursor, follow=False)]
    assert [e.event_id for e in first[1:]] == [e.event_id for e in resumed]


def _idle_api(client: Client, pool: asyncpg.Pool, queue: str) -> httpx.AsyncClient:
    app = create_app(ApiContext(client=client, pool=pool, task_queue=queue, public_base_url="http://127.0.0.1:8000"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test")


async def _status(http: httpx.AsyncClient, application_id: UUID, token: str, wait: float) -> ApplicationStatus:
    answer = await http.get(f"/v1/applications/{application_id}", params={"wait": wait}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return ApplicationStatus.model_validate_json(answer.content)


async def test_a_long_poll_of_an_application_answers_as_its_next_event_commits(
    client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    queue = idle_queue()
    async with _idle_api(client, pool, queue) as http:
        application = make_application()
        await submit(http, application, keys.ankara)
        polling = asyncio.create_task(_status(http, application.application_id, keys.ankara, wait=50))
        await asyncio.sleep(0.5)
        started = asyncio.get_running_loop().time()
        async with build_worker(client, pool, queue):
            status = await asyncio.wait_for(polling, 30)
        assert status.state is not ApplicationState.SUBMITTED
        assert asyncio.get_running_loop().time() - started < 20


async def test_a_long_poll_of_an_application_answers_at_its_timeout_when_nothing_happens(
    client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    async with _idle_api(client, pool, idle_queue()) as http:
        application = make_application()
        await submit(http, application, keys.ankara)
        status = await _status(http, application.application_id, keys.ankara, wait=1)
    assert status.state is ApplicationState.SUBMITTED
