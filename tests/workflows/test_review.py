"""Human steps on a running application: an officer's verdict on a probable duplicate, a withdrawal."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowUpdateFailedError, WorkflowUpdateStage
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from db.applications import find_status
from db.pool import create_pool
from iin_models.enums import ApplicationState, RejectionReason, ReviewVerdict
from iin_models.review import ReviewDecision, Withdrawal
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE, WITHDRAW_UPDATE
from service.intake import submit
from tests.factories import make_application
from tests.toolkit.databases import FreshDatabase
from tests.toolkit.review import Handle, awaiting_review, status_of
from tests.toolkit.waiting import eventually
from workers.worker import build_worker
from workflows.application import review_refusal, withdrawal_refusal
from workflows.search_attributes import STATE


async def verdict(handle: Handle, verdict: ReviewVerdict, note: str | None = None) -> ApplicationStatus:
    decision = ReviewDecision(officer_id="officer-3", verdict=verdict, note=note)
    result: ApplicationStatus = await handle.execute_update(REVIEW_UPDATE, decision, result_type=ApplicationStatus)
    return result


async def projected(pool: asyncpg.Pool, handle: Handle) -> ApplicationStatus:
    async with pool.acquire() as conn:
        status = await find_status(conn, (await status_of(handle)).application_id)
    assert status is not None
    return status


async def test_probable_duplicate_waits_in_awaiting_review(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    handle = await awaiting_review(client, pool, task_queue)

    assert (await projected(pool, handle)).state is ApplicationState.AWAITING_REVIEW
    description = await handle.describe()
    assert description.typed_search_attributes.get(STATE) == "awaiting_review"


async def test_same_person_verdict_rejects_as_already_registered(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    handle = await awaiting_review(client, pool, task_queue)

    answered = await verdict(handle, ReviewVerdict.SAME_PERSON, note="same face, old passport seen")
    final = await handle.result()

    assert answered.state is ApplicationState.REJECTED
    assert final.rejection_reasons == [RejectionReason.ALREADY_REGISTERED]
    assert [f.code for f in final.findings] == ["same_person_confirmed"]
    async with pool.acquire() as conn:
        detail = await conn.fetchval(
            "SELECT detail FROM audit_events WHERE application_id = $1 AND step = 'review'", final.application_id
        )
    assert detail["officer_id"] == "officer-3" and detail["note"] == "same face, old passport seen"


async def test_different_person_verdict_forms_the_iin(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    handle = await awaiting_review(client, pool, task_queue)

    answered = await verdict(handle, ReviewVerdict.DIFFERENT_PERSON)
    final = await handle.result()

    assert answered.iin is not None
    assert final.state is ApplicationState.CERTIFICATE_ISSUED and final.iin == answered.iin
    assert [t.state for t in final.transitions][-3:] == [
        ApplicationState.AWAITING_REVIEW,
        ApplicationState.IIN_FORMED,
        ApplicationState.CERTIFICATE_ISSUED,
    ]


async def test_verdict_without_an_officer_is_rejected_and_the_review_still_waits(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    handle = await awaiting_review(client, pool, task_queue)

    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(REVIEW_UPDATE, {"verdict": "same_person"}, result_type=ApplicationStatus)

    assert (await status_of(handle)).state is ApplicationState.AWAITING_REVIEW
    assert (await verdict(handle, ReviewVerdict.DIFFERENT_PERSON)).iin is not None


async def test_withdrawal_while_awaiting_review_ends_the_application_with_its_reason(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    handle = await awaiting_review(client, pool, task_queue)

    answered: ApplicationStatus = await handle.execute_update(
        WITHDRAW_UPDATE,
        Withdrawal(requested_by="officer-3", reason="the applicant left"),
        result_type=ApplicationStatus,
    )
    final = await handle.result()

    assert answered.state is final.state is ApplicationState.WITHDRAWN
    assert final.withdrawal_reason == "the applicant left" and final.iin is None
    assert (await projected(pool, handle)).state is ApplicationState.WITHDRAWN


@pytest_asyncio.fixture
async def stalled_queue(client: Client, unavailable_database: FreshDatabase) -> AsyncIterator[str]:
    """A worker whose database does not exist yet: every step retries until the database is created."""
    worker_pool = await create_pool(unavailable_database.dsn, min_size=0, max_size=4)
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(client, worker_pool, queue):
        yield queue
    await worker_pool.close()


async def test_verdict_is_refused_unless_awaiting_review_and_a_withdrawal_waits_for_the_step_in_flight(
    client: Client, pool: asyncpg.Pool, unavailable_database: FreshDatabase, stalled_queue: str
) -> None:
    handle = (await submit(client, pool, make_application(), stalled_queue, now=SYSTEM_CLOCK.now())).handle

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await verdict(handle, ReviewVerdict.SAME_PERSON)
    withdrawing = await handle.start_update(
        WITHDRAW_UPDATE,
        Withdrawal(requested_by="applicant", reason="changed plans"),
        result_type=ApplicationStatus,
        wait_for_stage=WorkflowUpdateStage.ACCEPTED,
    )
    await unavailable_database.create()  # the opening checks, in flight until now, complete
    answered = await withdrawing.result()

    assert "not awaiting review" in str(refused.value.cause)
    assert answered.state is ApplicationState.WITHDRAWN
    assert [t.state for t in answered.transitions] == [
        ApplicationState.SUBMITTED,
        ApplicationState.DOCUMENTS_VERIFIED,
        ApplicationState.WITHDRAWN,
    ]


async def test_deadline_passing_while_awaiting_review_is_recorded_and_the_review_goes_on(
    time_env: WorkflowEnvironment, pool: asyncpg.Pool, time_task_queue: str
) -> None:
    handle = await awaiting_review(time_env.client, pool, time_task_queue, indexed=False)
    due_at = (await status_of(handle)).deadline

    await time_env.sleep(due_at - await time_env.get_current_time() + timedelta(hours=1))
    during = await eventually(lambda: status_of(handle), lambda s: s.breached)
    await eventually(lambda: projected(pool, handle), lambda s: s.breached)
    await verdict(handle, ReviewVerdict.DIFFERENT_PERSON)
    final = await handle.result()

    assert during.state is ApplicationState.AWAITING_REVIEW
    assert final.state is ApplicationState.CERTIFICATE_ISSUED and final.breached


def status_in(state: ApplicationState, **fields: Any) -> ApplicationStatus:
    now = SYSTEM_CLOCK.now()
    return ApplicationStatus(
        application_id=uuid.uuid4(),
        establishment_id="emb-tr-ankara",
        state=state,
        submitted_at=now,
        due_date=now.date(),
        deadline=now,
        **fields,
    )


@pytest.mark.parametrize(
    "state", [ApplicationState.REJECTED, ApplicationState.CERTIFICATE_ISSUED, ApplicationState.WITHDRAWN]
)
def test_withdrawal_of_an_ended_application_is_refused_naming_its_state(state: ApplicationState) -> None:
    assert withdrawal_refusal(status_in(state), withdrawing=False) == f"the application is already {state.value}"


def test_withdrawal_once_the_iin_is_formed_is_refused() -> None:
    refusal = withdrawal_refusal(status_in(ApplicationState.IIN_FORMED, iin="900101300012"), withdrawing=False)

    assert refusal is not None and "IIN is already formed" in refusal


def test_second_withdrawal_is_refused() -> None:
    assert withdrawal_refusal(status_in(ApplicationState.SUBMITTED), withdrawing=True) is not None


def test_second_verdict_is_refused() -> None:
    refusal = review_refusal(status_in(ApplicationState.AWAITING_REVIEW), reviewed=True, withdrawing=False)

    assert refusal == "a verdict on this application was already given"
