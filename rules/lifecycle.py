"""The lifecycle of an application: the state each step's outcome leads to, decided in one place.

submitted -> documents_verified -> [awaiting_review ->] iin_formed -> certificate_issued; a step with
findings rejects, a recorded withdrawal withdraws. The workflow applies these transitions to its
status and the step that records an outcome writes the same transition to the projection, in the
transaction that records the outcome: both ask this module, so the two cannot disagree.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from iin_models.decisions import Finding, Step
from iin_models.enums import ApplicationState, RejectionReason
from iin_models.status import Transition

# Where a step leads when it passes; a step absent here leaves the state as it is.
ON_PASS: Mapping[Step, ApplicationState] = {
    Step.VERIFICATION: ApplicationState.DOCUMENTS_VERIFIED,
    Step.IIN: ApplicationState.IIN_FORMED,
    Step.CERTIFICATE: ApplicationState.CERTIFICATE_ISSUED,
    Step.WITHDRAWAL: ApplicationState.WITHDRAWN,
}


def rejection_reasons(findings: Iterable[Finding]) -> tuple[RejectionReason, ...]:
    """The reasons the findings give, each once, in the order first given."""
    return tuple(dict.fromkeys(finding.reason for finding in findings))


def transition_after(
    step: Step, at: datetime, findings: tuple[Finding, ...] = (), *, for_review: bool = False
) -> Transition | None:
    """The transition a step's outcome causes at `at`, or None if the application stays where it is.

    Findings reject, whatever the step. A duplicate check that passed with probable matches
    (`for_review`) sends the application to an officer.
    """
    if findings:
        return Transition(state=ApplicationState.REJECTED, at=at, reasons=rejection_reasons(findings))
    if step is Step.DUPLICATES and for_review:
        return Transition(state=ApplicationState.AWAITING_REVIEW, at=at)
    state = ON_PASS.get(step)
    return Transition(state=state, at=at) if state is not None else None
