"""IINApplicationWorkflow: one application, from submission to a certificate or a rejection.

submitted -> documents_verified -> iin_formed -> certificate_issued, or rejected at any check; a
probable duplicate waits in awaiting_review for an officer's `resolve_review` update, and a
`withdraw` update ends an application at the next step boundary until its IIN is formed.
A durable timer runs beside the steps to the deadline resolved at submission; if it fires first the
breach is recorded and the work goes on. Every step decides once and records its decision,
projection and audit in one transaction, and a retry returns what was decided. The service's own
steps are local activities (no extra round trip to the server). Two kinds of step are regular
activities: the calls to the national register, an external system (retried on their own schedule,
and visible as pending in the Web UI while it is down), and the two that record what a person
decided through an update (a verdict, a withdrawal), so that PostgreSQL hears of a decision only once
the history holds the update that carried it. Most applications ask the register once: the duplicate
check and the formation in one activity; one a probable match sends to review asks again to form.

The state changes in one way: `_update_status`, with the transition rules/lifecycle.py gives for a
step's outcome, the same transition the step wrote to the projection.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.assessment import Assessment, AssessmentActivities, OpeningChecks
    from activities.certificates import CertificateActivities
    from activities.checks import CheckActivities, DuplicateDecision
    from activities.iin import IinActivities, RegisterOutcome
    from activities.notices import NoticeActivities
    from activities.review import ReviewActivities, ReviewRequest, WithdrawalRequest
    from activities.submission import SubmissionActivities
    from iin_models.decisions import Decision, Finding, Step
    from iin_models.enums import ApplicationState
    from iin_models.review import ReviewDecision, Withdrawal
    from iin_models.status import ApplicationStatus, Transition
    from rules.lifecycle import transition_after
    from schemas.contract import (
        REVIEW_UPDATE,
        STATUS_QUERY,
        WITHDRAW_UPDATE,
        WITHDRAWAL_DEFERRED,
        WORKFLOW_TYPE,
        ApplicationInput,
        BreachNotice,
        CertificateRequest,
    )
    from schemas.notices import RejectionNoticeRequest
    from workflows import search_attributes
    from workflows.metric_names import APPLICATIONS_COMPLETED, DEADLINE_BREACHES, SUBMISSION_TO_CERTIFICATE

A = TypeVar("A")
R = TypeVar("R")

# Database steps retry until the database is back: an outage delays an application, never loses it.
# Waits longer than LOCAL_RETRY_THRESHOLD become durable timers on the server, so a long outage
# holds no workflow task open and shows in the history as it happens.
STEP_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
)
STEP_TIMEOUT = timedelta(seconds=30)
LOCAL_RETRY_THRESHOLD = timedelta(seconds=5)
# Calls to the national register: an attempt may take a few slow lookups (register/remote.py gives each
# request 10 s); while the register is down the attempts space out to two minutes, without end, and the
# deadline timer records the breach if the day passes. None fails for good: the application waits.
REGISTER_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
)
REGISTER_TIMEOUT = timedelta(seconds=60)

# Patches, newest last; each guards a change of the commands the workflow issues (docs/operations.md),
# and each is chosen in one place, run().
# Before FEWER_ROUND_TRIPS, the opening checks were four local activities with a withdrawal boundary
# between each, and the search attributes were upserted at every transition.
FEWER_ROUND_TRIPS = "fewer-round-trips"
# Before HUMAN_STEPS_AFTER_ACCEPTANCE, an officer's verdict and a withdrawal were recorded by local
# activities inside the workflow task that accepted the update: PostgreSQL could commit the decision
# while a worker dying before that task completed lost the update itself.
HUMAN_STEPS_AFTER_ACCEPTANCE = "human-steps-after-acceptance"
# Before NATIONAL_REGISTER, the duplicate check ran inside the opening local activity and the IIN was
# formed by a local activity: the register was the service's own tables, not an external system.
NATIONAL_REGISTER = "national-register"
# Before ONE_REGISTER_CALL, the duplicate check and the formation were two activities with a withdrawal
# boundary between them, and each workflow took the two patches above: two markers and two upserts of
# TemporalChangeVersion. Since, this one patch stands for all three and the check forms the IIN when
# it finds no one (a workflow task and an activity less); a withdrawal is refused while it runs.
ONE_REGISTER_CALL = "one-register-call"
PATCHES = (FEWER_ROUND_TRIPS, HUMAN_STEPS_AFTER_ACCEPTANCE, NATIONAL_REGISTER, ONE_REGISTER_CALL)

# A cancel requested in Temporal (the Web UI, `temporal workflow cancel`) is an operator's withdrawal.
CANCELLED_BY_OPERATOR = Withdrawal(requested_by="temporal-cancel", reason="cancelled in Temporal by an operator")


def review_refusal(status: ApplicationStatus, *, reviewed: bool, withdrawing: bool) -> str | None:
    """Why a verdict cannot be accepted now, or None: only while awaiting review, and only once."""
    if status.state is not ApplicationState.AWAITING_REVIEW:
        return f"the application is {status.state.value}, not awaiting review"
    if reviewed:
        return "a verdict on this application was already given"
    if withdrawing:
        return "the application is being withdrawn"
    return None


def withdrawal_refusal(status: ApplicationStatus, *, withdrawing: bool) -> str | None:
    """Why a withdrawal cannot be accepted now, or None: only before the end and before the IIN."""
    if status.state.is_terminal:
        return f"the application is already {status.state.value}"
    # Once formed, an IIN stays in the national register for life: the service has been rendered,
    # and only the certificate that documents it is still to come.
    if status.iin is not None:
        return "the IIN is already formed; the application can no longer be withdrawn"
    if withdrawing:
        return "a withdrawal of this application is already under way"
    return None


@workflow.defn(name=WORKFLOW_TYPE)
class IINApplicationWorkflow:
    @workflow.init
    def __init__(self, data: ApplicationInput) -> None:
        application = data.application
        self._data = data
        self._breach_recording: asyncio.Task[Decision] | None = None
        self._registered = False
        self._review: ReviewDecision | None = None
        self._withdrawal: Withdrawal | None = None
        self._index_each_transition = False
        self._register_is_external = False
        self._human_steps_after_acceptance = False
        self._forming = False
        self._status = ApplicationStatus(
            application_id=application.application_id,
            establishment_id=application.establishment_id,
            service_period_id=data.service_period.id,
            state=ApplicationState.SUBMITTED,
            submitted_at=application.submitted_at,
            due_date=data.deadline.due_date,
            deadline=data.deadline.due_at,
            transitions=[Transition(state=ApplicationState.SUBMITTED, at=application.submitted_at)],
        )

    @workflow.query(name=STATUS_QUERY)
    def status(self) -> ApplicationStatus:
        """The full status: state, transitions, deadline, breach, IIN, reasons, certificate."""
        return self._status

    @workflow.run
    async def run(self, data: ApplicationInput) -> ApplicationStatus:
        # What workflows started before each patch do differently is chosen here, once. A new workflow
        # takes ONE_REGISTER_CALL alone, which stands for the patches before it.
        open_and_check: Callable[[ApplicationInput], Awaitable[RegisterOutcome | None]]
        if workflow.patched(ONE_REGISTER_CALL):
            open_and_check = self._open_then_check_and_form
            self._register_is_external = self._human_steps_after_acceptance = True
        else:
            if workflow.patched(NATIONAL_REGISTER):
                open_and_check, self._register_is_external = self._open_then_ask_register, True
            elif workflow.patched(FEWER_ROUND_TRIPS):
                open_and_check = self._assess
            else:
                open_and_check, self._index_each_transition = self._check_step_by_step, True
            self._human_steps_after_acceptance = workflow.patched(HUMAN_STEPS_AFTER_ACCEPTANCE)
        # The steps run in a task of their own, created first so the commands keep their order: a cancel
        # reaches run() only and becomes a withdrawal, instead of cutting short a step whose decision may
        # be committed already.
        steps = asyncio.create_task(self._process(data, open_and_check))
        deadline_watch = asyncio.create_task(self._watch_deadline())
        try:
            while not steps.done():
                try:
                    await asyncio.shield(steps)
                except asyncio.CancelledError:
                    if self._withdrawal is None and self._status.iin is None:
                        self._withdrawal = CANCELLED_BY_OPERATOR
                        if self._forming:
                            workflow.logger.warning(
                                "cancel requested while the national register forms the IIN: it takes effect"
                                " only if the register sends the application to review"
                            )
            steps.result()
            if self._status.state is ApplicationState.REJECTED:
                await self._issue_rejection_notice(data)
        finally:
            if self._breach_recording is None:
                deadline_watch.cancel()
            else:
                await self._breach_recording  # a breach noticed must reach the projection
        self._index()
        # An update accepted at the last moment still answers its caller before the run ends.
        await workflow.wait_condition(workflow.all_handlers_finished)
        meter = workflow.metric_meter()
        meter.create_counter(APPLICATIONS_COMPLETED, "Applications that reached a terminal state, by outcome").add(
            1, {"outcome": self._status.state.value, "establishment": data.establishment.id}
        )
        if self._status.state is ApplicationState.CERTIFICATE_ISSUED:
            # No establishment label: a bucket series per establishment would multiply the series by 80
            # for a panel that shows the service's p50/p95; the outcome counter has the breakdown.
            meter.create_histogram_timedelta(
                SUBMISSION_TO_CERTIFICATE, "From the submission to the certificate issued"
            ).record(workflow.now() - data.application.submitted_at)
        return self._status

    @workflow.update(name=REVIEW_UPDATE)
    async def resolve_review(self, decision: ReviewDecision) -> ApplicationStatus:
        """An officer's verdict on a probable duplicate; returns the status once the verdict took effect.

        same_person rejects the application as already_registered; different_person lets it go on,
        and the status returned is the one after the IIN was formed.
        """
        self._review = decision
        await workflow.wait_condition(lambda: self._status.state is not ApplicationState.AWAITING_REVIEW)
        return self._status

    @resolve_review.validator
    def _accept_review(self, decision: ReviewDecision) -> None:
        refusal = review_refusal(
            self._status, reviewed=self._review is not None, withdrawing=self._withdrawal is not None
        )
        if refusal is not None:
            raise ApplicationError(refusal, type="ReviewRefused")

    @workflow.update(name=WITHDRAW_UPDATE)
    async def withdraw(self, withdrawal: Withdrawal) -> ApplicationStatus:
        """End the application as withdrawn at the next step boundary; returns the final status.

        A step in flight finishes first; if it formed the IIN or ended the application, the
        withdrawal fails with WithdrawalTooLate.
        """
        self._withdrawal = withdrawal
        await workflow.wait_condition(lambda: self._status.state.is_terminal or self._status.iin is not None)
        if self._status.state is not ApplicationState.WITHDRAWN:
            raise ApplicationError(
                f"the application became {self._status.state.value} before the withdrawal could take effect",
                type="WithdrawalTooLate",
            )
        return self._status

    @withdraw.validator
    def _accept_withdrawal(self, withdrawal: Withdrawal) -> None:
        refusal = withdrawal_refusal(self._status, withdrawing=self._withdrawal is not None)
        if refusal is not None:
            raise ApplicationError(refusal, type="WithdrawalRefused")
        # Accepted now, it could only fail once the register answers, maybe hours later; refused for now,
        # it may be sent again if the register sends the application to review instead.
        if self._forming:
            raise ApplicationError(
                "the national register is forming the IIN; a withdrawal can take effect only if it sends the"
                " application to review",
                type=WITHDRAWAL_DEFERRED,
            )

    async def _process(
        self, data: ApplicationInput, open_and_check: Callable[[ApplicationInput], Awaitable[RegisterOutcome | None]]
    ) -> None:
        opened = await open_and_check(data)
        if opened is None:
            return
        formed = opened.formed
        if formed is None:
            duplicates = opened.duplicates
            if duplicates.for_review and not await self._cleared_by_review(duplicates):
                return
            if await self._withdrawn():
                return
            formed = await self._forming_call(IinActivities.form_iin, data, "form the IIN in the national register")
        # Findings here mean the person was found registered under the identity lock (a twin application
        # won the race): rejected like any other finding.
        self._status.iin = formed.iin
        if not self._update_status(Step.IIN, formed.decided_at, formed.findings) or formed.iin is None:
            return
        certificate = await self._step(
            CertificateActivities.issue_certificate,
            CertificateRequest(data=data, iin=formed.iin),
            "issue the registration certificate",
        )
        self._status.certificate_number = certificate.number
        self._status.certificate_sha256 = certificate.sha256
        self._update_status(Step.CERTIFICATE, certificate.issued_at)

    async def _open_then_check_and_form(self, data: ApplicationInput) -> RegisterOutcome | None:
        """Open and check the application in one step, then ask the register to check and form at once."""
        if not await self._opened(data) or await self._withdrawn():
            return None
        outcome = await self._forming_call(
            IinActivities.check_and_form_iin, data, "look for the foreigner in the national register and form the IIN"
        )
        if not self._duplicates_passed(outcome.duplicates):
            return None
        # A probable match waits for an officer: a withdrawal may still end the application before.
        if outcome.formed is None and await self._withdrawn():
            return None
        return outcome

    async def _open_then_ask_register(self, data: ApplicationInput) -> RegisterOutcome | None:
        """As workflows between NATIONAL_REGISTER and ONE_REGISTER_CALL: the check, then the IIN on its own."""
        if not await self._opened(data) or await self._withdrawn():
            return None
        duplicates = await self._ask_register(
            CheckActivities.check_duplicates, data, "look for an existing IIN in the national register"
        )
        if not self._duplicates_passed(duplicates) or await self._withdrawn():
            return None
        return RegisterOutcome(duplicates=duplicates)

    async def _opened(self, data: ApplicationInput) -> bool:
        """Open the application and check its documents and requirements in one step; True if they pass."""
        checks: OpeningChecks = await self._step(
            AssessmentActivities.open_and_check, data, "open the application and check it"
        )
        self._registered = True
        verification, requirements = checks.verification, checks.requirements
        if not self._update_status(Step.VERIFICATION, verification.decided_at, verification.findings):
            return False
        return requirements is not None and self._update_status(
            Step.REQUIREMENTS, requirements.decided_at, requirements.findings
        )

    async def _assess(self, data: ApplicationInput) -> RegisterOutcome | None:
        """Open and check the application in one step, as workflows before NATIONAL_REGISTER do."""
        assessment: Assessment = await self._step(
            AssessmentActivities.assess_application, data, "open the application and check it"
        )
        self._registered = True
        verification, requirements, duplicates = assessment.verification, assessment.requirements, assessment.duplicates
        if not self._update_status(Step.VERIFICATION, verification.decided_at, verification.findings):
            return None
        # Assessment holds a check exactly when the one before it passed.
        if requirements is None or not self._update_status(
            Step.REQUIREMENTS, requirements.decided_at, requirements.findings
        ):
            return None
        if duplicates is None or not self._duplicates_passed(duplicates):
            return None
        if await self._withdrawn():
            return None
        return RegisterOutcome(duplicates=duplicates)

    async def _check_step_by_step(self, data: ApplicationInput) -> RegisterOutcome | None:
        """The opening checks as separate steps, as workflows started before FEWER_ROUND_TRIPS run them."""
        await self._step(SubmissionActivities.register_submission, data, "open the application")
        self._registered = True
        if await self._withdrawn():
            return None
        verification = await self._step(CheckActivities.verify_documents, data, "verify the documents")
        if not self._update_status(Step.VERIFICATION, verification.decided_at, verification.findings):
            return None
        if await self._withdrawn():
            return None
        requirements = await self._step(CheckActivities.check_requirements, data, "check the legal requirements")
        if (
            not self._update_status(Step.REQUIREMENTS, requirements.decided_at, requirements.findings)
            or await self._withdrawn()
        ):
            return None
        duplicates = await self._step(CheckActivities.check_duplicates, data, "look for an existing IIN")
        return RegisterOutcome(duplicates=duplicates) if self._duplicates_passed(duplicates) else None

    async def _cleared_by_review(self, duplicates: DuplicateDecision) -> bool:
        """Wait in awaiting_review for a verdict or a withdrawal; True if the applicant may go on."""
        self._index()  # the review queue is a search on this state
        await workflow.wait_condition(lambda: self._review is not None or self._withdrawal is not None)
        if self._review is None:
            await self._withdrawn()
            return False
        request = ReviewRequest(
            application_id=self._data.application.application_id, decision=self._review, reviewed=duplicates.for_review
        )
        outcome = await self._human_step(ReviewActivities.record_review, request, "record the officer's verdict")
        return self._update_status(Step.REVIEW, outcome.decided_at, outcome.findings)

    async def _withdrawn(self) -> bool:
        """At a step boundary: end the application if a withdrawal was accepted; True if it ended."""
        if self._withdrawal is None:
            return False
        request = WithdrawalRequest(application_id=self._data.application.application_id, withdrawal=self._withdrawal)
        outcome = await self._human_step(ReviewActivities.record_withdrawal, request, "record the withdrawal")
        self._status.withdrawal_reason = outcome.reason
        self._update_status(Step.WITHDRAWAL, outcome.decided_at)
        return True

    async def _issue_rejection_notice(self, data: ApplicationInput) -> None:
        # The rejected applicant gets a notice of the reasons and their grounds; the PDF stays in
        # PostgreSQL and the status keeps its number and digest.
        request = RejectionNoticeRequest(
            data=data, findings=tuple(self._status.findings), rejected_at=self._status.transitions[-1].at
        )
        notice = await self._step(NoticeActivities.issue_rejection_notice, request, "issue the rejection notice")
        self._status.rejection_notice_number = notice.number
        self._status.rejection_notice_sha256 = notice.sha256

    async def _step(self, activity: Callable[[Any, A], Awaitable[R]], arg: A, summary: str) -> R:
        return await workflow.execute_local_activity_method(
            activity,
            arg,
            start_to_close_timeout=STEP_TIMEOUT,
            retry_policy=STEP_RETRY,
            local_retry_threshold=LOCAL_RETRY_THRESHOLD,
            summary=summary,
        )

    async def _ask_register(self, activity: Callable[[Any, A], Awaitable[R]], arg: A, summary: str) -> R:
        """A call to the national register: an external system, so a regular activity on its own schedule.

        Workflows started before NATIONAL_REGISTER ran these as local activities, like every other step.
        """
        if not self._register_is_external:
            return await self._step(activity, arg, summary)
        return await workflow.execute_activity_method(
            activity, arg, start_to_close_timeout=REGISTER_TIMEOUT, retry_policy=REGISTER_RETRY, summary=summary
        )

    async def _forming_call(self, activity: Callable[[Any, A], Awaitable[R]], arg: A, summary: str) -> R:
        """A call to the register that may form the IIN: withdrawals are refused while it runs."""
        self._forming = True
        try:
            return await self._ask_register(activity, arg, summary)
        finally:
            self._forming = False

    async def _human_step(self, activity: Callable[[Any, A], Awaitable[R]], arg: A, summary: str) -> R:
        """Record a decision a person made through an update, once Temporal holds the update.

        A regular activity is scheduled by the completion of the workflow task that accepted the update,
        in one write with the acceptance: PostgreSQL hears of the decision only after the history has it,
        so a worker dying at any point leaves the projection and the workflow agreeing.
        """
        if not self._human_steps_after_acceptance:
            return await self._step(activity, arg, summary)
        return await workflow.execute_activity_method(
            activity, arg, start_to_close_timeout=STEP_TIMEOUT, retry_policy=STEP_RETRY, summary=summary
        )

    def _update_status(
        self, step: Step, at: datetime, findings: tuple[Finding, ...] = (), *, for_review: bool = False
    ) -> bool:
        """Apply a step's outcome to the status: the one way its state changes. True if the work goes on.

        The transition is the one the step wrote to the projection (rules/lifecycle.py).
        """
        transition = transition_after(step, at, findings, for_review=for_review)
        if transition is None:
            return True
        self._status.findings.extend(findings)
        self._status.rejection_reasons.extend(transition.reasons)
        self._status.state = transition.state
        self._status.transitions.append(transition)
        self._show()
        if self._index_each_transition:
            self._index()
        return not transition.state.is_terminal

    def _duplicates_passed(self, duplicates: DuplicateDecision) -> bool:
        return self._update_status(
            Step.DUPLICATES, duplicates.decided_at, duplicates.findings, for_review=bool(duplicates.for_review)
        )

    def _show(self) -> None:
        # What an operator sees in the Web UI's "current details": no personal data, only the case.
        status = self._status
        lines = [
            f"**State:** {status.state.value} since {status.transitions[-1].at:%Y-%m-%d %H:%M:%S} UTC",
            f"**Due:** end of {status.due_date} at {self._data.establishment.id}"
            + (f" (**breached** at {status.breached_at:%Y-%m-%d %H:%M} UTC)" if status.breached_at else ""),
        ]
        if status.rejection_reasons:
            lines.append("**Reasons:** " + ", ".join(f"{f.code} ({f.field})" for f in status.findings))
        if status.certificate_number:
            lines.append(f"**Certificate:** {status.certificate_number}")
        workflow.set_current_details("\n\n".join(lines))

    def _index(self) -> None:
        # Visibility shows the state an application rests in: set at the start, upserted where it waits for
        # an officer, at a breach and at the end. The steps between normally follow each other within one
        # workflow task, so upserting each would cost the server an event and a visibility write for a state
        # no search could see; the status query and the current details show every step as it happens.
        # The starter chooses whether an application is indexed (a server without a visibility
        # store has no custom attributes); the workflow keeps the attributes it was given current.
        # Attributes that are current already cost no upsert.
        indexed = workflow.info().typed_search_attributes
        if indexed.get(search_attributes.STATE) is None:
            return
        updates = search_attributes.updates_for(self._status)
        if any(indexed.get(update.key) != update.value for update in updates):
            workflow.upsert_search_attributes(updates)

    async def _watch_deadline(self) -> None:
        remaining = self._data.deadline.due_at - workflow.now()
        if remaining > timedelta(0):
            await workflow.sleep(remaining, summary=f"deadline: end of {self._data.deadline.due_date}")
        if self._status.state.is_terminal:
            return
        self._status.breached = True
        self._status.breached_at = workflow.now()
        self._show()
        self._index()
        workflow.metric_meter().create_counter(DEADLINE_BREACHES, "Applications still open at their deadline").add(
            1, {"establishment": self._data.establishment.id}
        )
        notice = BreachNotice(
            application_id=self._data.application.application_id,
            due_at=self._data.deadline.due_at,
            noticed_at=workflow.now(),
        )
        self._breach_recording = asyncio.create_task(self._record_breach(notice))
        await self._breach_recording

    async def _record_breach(self, notice: BreachNotice) -> Decision:
        # The projection row must exist before the breach can be marked on it.
        await workflow.wait_condition(lambda: self._registered)
        return await self._step(SubmissionActivities.record_breach, notice, "record the deadline breach")
