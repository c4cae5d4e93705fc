"""Races at submission: one person at two establishments at once, and one application sent twenty times at once."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from clock import SYSTEM_CLOCK
from db.api_keys import create_key
from iin_models.application import Application
from iin_models.decisions import Step
from iin_models.enums import ApplicationState, RejectionReason, ReviewVerdict
from iin_models.review import ReviewDecision
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE, workflow_id
from service.intake import submit
from tests.factories import make_applicant, make_application, make_document
from tests.faults.harness import wait_until_closed
from tests.faults.invariants import check_invariants
from tests.toolkit.waiting import eventually

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
PAIRS = 100
APPLICATIONS = 200
COPIES = 20
ESTABLISHMENTS = ("emb-tr-ankara", "emb-de-berlin")


async def _started_on(client: Client, queue: str, expected: int) -> int:
    """How many workflows visibility lists on `queue`, once it lists at least `expected` (fails if it never does)."""
    count = await eventually(
        lambda: client.count_workflows(f"TaskQueue = '{queue}'"), lambda c: c.count >= expected, within=30
    )
    return count.count


async def test_one_person_at_two_establishments_at_once_gets_one_iin(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    pairs = []
    for _ in range(PAIRS):
        applicant, document = make_applicant(), make_document()
        pairs.append(
            [make_application(establishment_id=e, applicant=applicant, document=document) for e in ESTABLISHMENTS]
        )
    await asyncio.gather(*(submit(client, pool, a, task_queue, now=SYSTEM_CLOCK.now()) for pair in pairs for a in pair))
    ids = [[a.application_id for a in pair] for pair in pairs]
    reviewed = await _settle_reviews(client, pool, [i for pair in ids for i in pair])

    counts = await check_invariants(client, pool, ids, "same-person-two-establishments")
    counts.assert_sound()
    outcomes = Counter([tuple(sorted(await _outcomes(client, pair))) for pair in ids])
    at_the_lock = await pool.fetchval(
        """SELECT count(*) FROM decisions
           WHERE application_id = ANY($1::uuid[]) AND step = $2 AND result->>'iin' IS NULL""",
        [i for pair in ids for i in pair],
        Step.IIN.value,
    )
    print(
        f"faults: same-person-two-establishments: pairs={PAIRS} outcomes={dict(outcomes)} reviewed={reviewed} "
        f"refused_by_form_iin={at_the_lock}"
    )
    assert counts.iins == PAIRS
    assert set(outcomes) <= {("already_registered", "certificate_issued"), ("certificate_issued", "reviewed")}


async def _settle_reviews(client: Client, pool: asyncpg.Pool, ids: list[UUID]) -> int:
    """Wait for every application to end or wait for review; one waiting is judged the same person."""
    waiting = await eventually(
        lambda: pool.fetch(
            "SELECT application_id, state FROM applications WHERE application_id = ANY($1::uuid[])", ids
        ),
        lambda rows: (
            len(rows) == len(ids)
            and all(ApplicationState(r["state"]).is_terminal or r["state"] == "awaiting_review" for r in rows)
        ),
        within=120,
        every=0.5,
    )
    in_review = [r["application_id"] for r in waiting if r["state"] == "awaiting_review"]
    verdict = ReviewDecision(officer_id="officer-17", verdict=ReviewVerdict.SAME_PERSON)
    for application_id in in_review:
        handle = client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)
        await handle.execute_update(REVIEW_UPDATE, verdict, result_type=ApplicationStatus)
    await wait_until_closed(client, ids, within=120)
    return len(in_review)


async def _outcomes(client: Client, pair: list[UUID]) -> list[str]:
    outcomes = []
    for application_id in pair:
        status = await client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus).result()
        if status.state is ApplicationState.REJECTED:
            assert status.rejection_reasons == [RejectionReason.ALREADY_REGISTERED], status
            reviewed = any(f.code == "same_person_confirmed" for f in status.findings)
            outcomes.append("reviewed" if reviewed else "already_registered")
        else:
            outcomes.append(status.state.value)
    return outcomes


async def test_one_application_submitted_twenty_times_at_once_runs_once(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    applications = [make_application() for _ in range(APPLICATIONS)]
    submitted = await asyncio.gather(
        *(submit(client, pool, a, task_queue, now=SYSTEM_CLOCK.now()) for a in applications for _ in range(COPIES))
    )
    runs: dict[UUID, set[str | None]] = {a.application_id: set() for a in applications}
    for s in submitted:
        runs[s.input.application.application_id].add(s.handle.result_run_id)
    ids = list(runs)
    await wait_until_closed(client, ids, within=120)

    started = await _started_on(client, task_queue, APPLICATIONS)
    counts = await check_invariants(client, pool, [[i] for i in ids], "same-application-x20-intake")
    print(f"faults: same-application-x20-intake: submissions={len(submitted)} workflows_on_queue={started}")
    counts.assert_sound()
    assert {len(r - {None}) for r in runs.values()} == {1}  # a start that lost the race has no run id
    assert started == APPLICATIONS
    assert counts.states == {"certificate_issued": APPLICATIONS}


@pytest_asyncio.fixture
async def http(client: Client, pool: asyncpg.Pool, task_queue: str) -> AsyncIterator[httpx.AsyncClient]:
    """The API in-process on this test's worker, with the Ankara embassy's key."""
    async with pool.acquire() as conn:
        _, token = await create_key(conn, establishment_id=ESTABLISHMENTS[0], label="faults")
    app = create_app(ApiContext(client=client, pool=pool, task_queue=task_queue, public_base_url="http://api.test"))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test", headers=headers) as http_client:
        yield http_client


async def test_one_application_posted_twenty_times_at_once_is_accepted_once(
    client: Client, pool: asyncpg.Pool, task_queue: str, http: httpx.AsyncClient
) -> None:
    applications = [make_application() for _ in range(APPLICATIONS)]

    async def post(application: Application) -> tuple[UUID, int]:
        answer = await http.post("/v1/applications", content=application.model_dump_json())
        return application.application_id, answer.status_code

    answers = await asyncio.gather(*(post(a) for a in applications for _ in range(COPIES)))
    ids = [a.application_id for a in applications]
    await wait_until_closed(client, ids, within=120)

    started = await _started_on(client, task_queue, APPLICATIONS)
    counts = await check_invariants(client, pool, [[i] for i in ids], "same-application-x20-api")
    codes = Counter(code for _, code in answers)
    print(f"faults: same-application-x20-api: posts={len(answers)} answers={dict(codes)} workflows_on_queue={started}")
    counts.assert_sound()
    accepted = Counter(application_id for application_id, code in answers if code == 202)
    assert codes == {202: APPLICATIONS, 200: APPLICATIONS * (COPIES - 1)}
    assert set(accepted.values()) == {1}
    assert started == APPLICATIONS
    assert counts.states == {"certificate_issued": APPLICATIONS}
