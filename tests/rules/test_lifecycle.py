"""Which state each step's outcome leads to: the one table the workflow and the projection share."""

from datetime import UTC, datetime

import pytest

from iin_models.decisions import Finding, Step
from iin_models.enums import ApplicationState, RejectionReason
from rules.lifecycle import rejection_reasons, transition_after

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def finding(reason: RejectionReason, code: str = "some_code") -> Finding:
    return Finding(reason=reason, code=code, field="applicant", message="why")


@pytest.mark.parametrize("step", list(Step))
def test_findings_reject_at_any_step(step: Step) -> None:
    transition = transition_after(step, AT, (finding(RejectionReason.DOCUMENTS_UNRELIABLE),))

    assert transition is not None
    assert (transition.state, transition.at) == (ApplicationState.REJECTED, AT)
    assert transition.reasons == (RejectionReason.DOCUMENTS_UNRELIABLE,)


@pytest.mark.parametrize(
    ("step", "state"),
    [
        (Step.VERIFICATION, ApplicationState.DOCUMENTS_VERIFIED),
        (Step.IIN, ApplicationState.IIN_FORMED),
        (Step.CERTIFICATE, ApplicationState.CERTIFICATE_ISSUED),
        (Step.WITHDRAWAL, ApplicationState.WITHDRAWN),
    ],
)
def test_a_passed_step_moves_the_application_on(step: Step, state: ApplicationState) -> None:
    transition = transition_after(step, AT)

    assert transition is not None and transition.state is state


@pytest.mark.parametrize("step", [Step.SUBMISSION, Step.REQUIREMENTS, Step.DUPLICATES, Step.REVIEW])
def test_a_passed_check_that_leads_nowhere_new_leaves_the_state(step: Step) -> None:
    assert transition_after(step, AT) is None


def test_probable_duplicates_send_the_application_to_review() -> None:
    transition = transition_after(Step.DUPLICATES, AT, for_review=True)

    assert transition is not None and transition.state is ApplicationState.AWAITING_REVIEW


def test_a_certain_duplicate_rejects_even_with_probable_ones_beside_it() -> None:
    transition = transition_after(Step.DUPLICATES, AT, (finding(RejectionReason.ALREADY_REGISTERED),), for_review=True)

    assert transition is not None and transition.state is ApplicationState.REJECTED


def test_each_reason_is_given_once_in_the_order_first_found() -> None:
    findings = (
        finding(RejectionReason.REQUIREMENTS_NOT_MET, "a"),
        finding(RejectionReason.DOCUMENTS_UNRELIABLE, "b"),
        finding(RejectionReason.REQUIREMENTS_NOT_MET, "c"),
    )

    assert rejection_reasons(findings) == (RejectionReason.REQUIREMENTS_NOT_MET, RejectionReason.DOCUMENTS_UNRELIABLE)
