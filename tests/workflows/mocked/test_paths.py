"""Every path through IINApplicationWorkflow in seconds: mocked steps, the time-skipping server, no PostgreSQL.

What the steps decide is scripted (steps.py); what is checked is what the workflow makes of it and an
applicant or officer would see in the status: the end state, the reasons, the IIN and the certificate
number, a rejection notice, the breach of the deadline. The real steps on the real stack are
tests/workflows/test_application.py and its neighbours.
"""

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import asyncpg
import pytest
from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from activities import build_activities
from iin_models.enums import ApplicationState, RejectionReason, ReviewVerdict
from iin_models.review import ReviewDecision, Withdrawal
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE, WITHDRAW_UPDATE, WITHDRAWAL_DEFERRED
from tests.toolkit.environments import OPTION, TIME_SKIPPING
from tests.toolkit.review import status_of
from tests.toolkit.waiting import eventually
from tests.workflows.mocked.steps import Handle, MockedSteps, Outcomes, finding, running
from workflows.application import CANCELLED_BY_OPERATOR

S = ApplicationState
PROBABLE = Outcomes(for_review=(finding(RejectionReason.ALREADY_REGISTERED, "probable_name_and_birth_date"),))


async def in_review(handle: Handle) -> ApplicationStatus:
    """Wait until the application waits for an officer's verdict."""
    return await eventually(lambda: status_of(handle), lambda s: s.state is S.AWAITING_REVIEW)


async def verdict(handle: Handle, verdict: ReviewVerdict) -> ApplicationStatus:
    """An officer's verdict, answered once it took effect."""
    decision = ReviewDecision(officer_id="officer-3", verdict=verdict)
    answered: ApplicationStatus = await handle.execute_update(REVIEW_UPDATE, decision, result_type=ApplicationStatus)
    return answered


def test_the_mocks_stand_for_every_activity_the_worker_registers() -> None:
    def names(functions: list[Callable[..., Any]]) -> set[str | None]:
        # The SDK keeps an activity's name only in its private definition.
        return {activity._Definition.must_from_callable(f).name for f in functions}

    # Nothing connects before an activity runs: reading their names needs no pool.
    assert names(MockedSteps().activities()) == names(build_activities(cast(asyncpg.Pool, None)))


async def test_a_clean_application_gets_an_iin_and_a_certificate(workflow_env: WorkflowEnvironment) -> None:
    async with running(workflow_env) as (handle, _):
        final = await handle.result()

    assert final.state is S.CERTIFICATE_ISSUED
    assert final.iin is not None and len(final.iin) == 12
    assert final.certificate_number is not None and final.certificate_sha256 is not None
    assert [t.state for t in final.transitions] == [
        S.SUBMITTED,
        S.DOCUMENTS_VERIFIED,
        S.IIN_FORMED,
        S.CERTIFICATE_ISSUED,
    ]
    assert not final.breached and final.rejection_reasons == [] and final.rejection_notice_number is None


@pytest.mark.parametrize(
    ("outcomes", "reason", "states"),
    [
        pytest.param(
            Outcomes(verification=(finding(RejectionReason.DOCUMENTS_UNRELIABLE, "document_expired"),)),
            RejectionReason.DOCUMENTS_UNRELIABLE,
            [S.SUBMITTED, S.REJECTED],
            id="documents_unreliable",
        ),
        pytest.param(
            Outcomes(requirements=(finding(RejectionReason.REQUIREMENTS_NOT_MET, "citizen_of_kazakhstan"),)),
            RejectionReason.REQUIREMENTS_NOT_MET,
            [S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.REJECTED],
            id="requirements_not_met",
        ),
        pytest.param(
            Outcomes(duplicates=(finding(RejectionReason.ALREADY_REGISTERED, "registered_by_document"),)),
            RejectionReason.ALREADY_REGISTERED,
            [S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.REJECTED],
            id="already_registered",
        ),
        pytest.param(
            Outcomes(at_formation=(finding(RejectionReason.ALREADY_REGISTERED, "registered_by_document"),)),
            RejectionReason.ALREADY_REGISTERED,
            [S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.REJECTED],
            id="registered_by_a_twin_at_formation",
        ),
    ],
)
async def test_a_rejection_ends_the_application_with_its_reason_and_a_notice(
    workflow_env: WorkflowEnvironment, outcomes: Outcomes, reason: RejectionReason, states: list[ApplicationState]
) -> None:
    async with running(workflow_env, outcomes) as (handle, _):
        final = await handle.result()

    assert final.state is S.REJECTED and final.rejection_reasons == [reason]
    assert [t.state for t in final.transitions] == states
    assert final.transitions[-1].reasons == (reason,)
    assert final.rejection_notice_number is not None and final.rejection_notice_sha256 is not None
    assert final.iin is None and final.certificate_number is None


async def test_a_same_person_verdict_rejects_as_already_registered(workflow_env: WorkflowEnvironment) -> None:
    async with running(workflow_env, PROBABLE) as (handle, _):
        await in_review(handle)
        answered = await verdict(handle, ReviewVerdict.SAME_PERSON)
        final = await handle.result()

    assert answered.state is final.state is S.REJECTED
    assert final.rejection_reasons == [RejectionReason.ALREADY_REGISTERED]
    assert [f.code for f in final.findings] == ["same_person_confirmed"]
    assert final.iin is None and final.rejection_notice_number is not None


async def test_a_different_person_verdict_forms_the_iin_and_issues_the_certificate(
    workflow_env: WorkflowEnvironment,
) -> None:
    async with running(workflow_env, PROBABLE) as (handle, _):
        await in_review(handle)
        answered = await verdict(handle, ReviewVerdict.DIFFERENT_PERSON)
        final = await handle.result()

    assert answered.iin is not None and final.iin == answered.iin
    assert final.state is S.CERTIFICATE_ISSUED and final.certificate_number is not None
    assert [t.state for t in final.transitions][-3:] == [S.AWAITING_REVIEW, S.IIN_FORMED, S.CERTIFICATE_ISSUED]


async def test_a_withdrawal_in_review_ends_the_application_with_its_reason(workflow_env: WorkflowEnvironment) -> None:
    async with running(workflow_env, PROBABLE) as (handle, _):
        await in_review(handle)
        answered: ApplicationStatus = await handle.execute_update(
            WITHDRAW_UPDATE, Withdrawal(requested_by="applicant", reason="changed plans"), result_type=ApplicationStatus
        )
        final = await handle.result()

    assert answered.state is final.state is S.WITHDRAWN
    assert final.withdrawal_reason == "changed plans" and final.iin is None


async def test_a_withdrawal_while_the_register_forms_the_iin_is_refused_and_the_iin_is_formed(
    workflow_env: WorkflowEnvironment,
) -> None:
    steps = MockedSteps()
    steps.register_answers.clear()
    async with running(workflow_env, steps=steps) as (handle, _):
        await eventually(lambda: status_of(handle), lambda s: s.state is S.DOCUMENTS_VERIFIED)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            withdrawal = Withdrawal(requested_by="applicant", reason="changed plans")
            await asyncio.wait_for(handle.execute_update(WITHDRAW_UPDATE, withdrawal), timeout=10)
        steps.register_answers.set()
        final = await handle.result()

    assert isinstance(refused.value.cause, ApplicationError) and refused.value.cause.type == WITHDRAWAL_DEFERRED
    assert final.state is S.CERTIFICATE_ISSUED and final.withdrawal_reason is None


async def test_a_cancel_in_temporal_is_a_withdrawal_by_the_operator(workflow_env: WorkflowEnvironment) -> None:
    async with running(workflow_env, PROBABLE) as (handle, _):
        await in_review(handle)
        await handle.cancel()
        final = await handle.result()

    assert final.state is S.WITHDRAWN and final.withdrawal_reason == CANCELLED_BY_OPERATOR.reason


async def test_a_deadline_passing_in_review_is_recorded_and_the_review_goes_on(
    workflow_env: WorkflowEnvironment,
) -> None:
    if not workflow_env.supports_time_skipping:
        pytest.skip(f"jumps over a deadline: needs {OPTION}={TIME_SKIPPING}")
    async with running(workflow_env, PROBABLE) as (handle, steps):
        due_at = (await in_review(handle)).deadline
        await workflow_env.sleep(due_at - await workflow_env.get_current_time() + timedelta(hours=1))
        during = await eventually(lambda: status_of(handle), lambda s: s.breached)
        await verdict(handle, ReviewVerdict.DIFFERENT_PERSON)
        final = await handle.result()

    assert during.state is S.AWAITING_REVIEW and during.breached_at is not None and during.breached_at >= due_at
    assert final.state is S.CERTIFICATE_ISSUED and final.breached and final.certificate_number is not None
    assert steps.calls.count("breach") == 1  # recorded once, for the projection and the API to show
