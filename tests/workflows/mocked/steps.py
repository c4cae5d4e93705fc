"""Stand-ins for the application's activities: the real names and models, decisions scripted, no database.

`MockedSteps` answers every activity the real worker registers (activities.build_activities), the
opening checks one by one too, so a workflow that takes them apart again still finds each
under its name. Each returns what `Outcomes` says and notes its name in `calls`.
"""

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.assessment import Assessment, OpeningChecks
from activities.checks import DuplicateDecision
from activities.iin import RegisterOutcome
from activities.review import ReviewOutcome, ReviewRequest, WithdrawalOutcome, WithdrawalRequest, same_person_finding
from clock import SYSTEM_CLOCK
from iin_models.decisions import CertificateRef, Decision, Finding, FormedIin, Step
from iin_models.enums import EstablishmentKind, RejectionReason, ReviewVerdict
from iin_models.status import ApplicationStatus
from rules.calendar import BusinessCalendar, deadline_for
from schemas.contract import ApplicationInput, BreachNotice, CertificateRequest, workflow_id
from schemas.establishment import Deadline, Establishment, ServicePeriod
from schemas.notices import RejectionNoticeRef, RejectionNoticeRequest
from tests.factories import make_application
from workers.worker import SANDBOXED_RUNNER
from workflows.application import IINApplicationWorkflow

Handle = WorkflowHandle[Any, ApplicationStatus]
ANKARA = Establishment(
    id="emb-tr-ankara",
    kind=EstablishmentKind.EMBASSY,
    city="Ankara",
    country="TR",
    time_zone="Europe/Istanbul",
    rest_days=frozenset({6, 7}),
)
OPEN_PERIOD = ServicePeriod(id="mocked-open", starts_on=date(2024, 4, 1))


def finding(reason: RejectionReason, code: str, field: str = "applicant") -> Finding:
    """A finding of `reason`, as a check would word it."""
    return Finding(reason=reason, code=code, field=field, message=f"{code} (mocked)")


@dataclass(frozen=True)
class Outcomes:
    """What each check finds; nothing found at every step is the path to a certificate."""

    verification: tuple[Finding, ...] = ()
    requirements: tuple[Finding, ...] = ()
    duplicates: tuple[Finding, ...] = ()
    for_review: tuple[Finding, ...] = ()  # probable matches: the application waits for an officer
    at_formation: tuple[Finding, ...] = ()  # a twin application registered the person first


@dataclass
class MockedSteps:
    """The activities of the application workflow, deciding as `outcomes` say."""

    outcomes: Outcomes = Outcomes()
    calls: list[str] = field(default_factory=list)
    # Set, the register answers at once; a test clears it to hold the register call in flight.
    register_answers: asyncio.Event = field(default_factory=lambda: _set(asyncio.Event()))

    def activities(self) -> list[Callable[..., Any]]:
        """Every activity, under the name the workflow calls it by."""
        return [
            self.open_and_check,
            self.assess_application,
            self.register_submission,
            self.record_breach,
            self.verify_documents,
            self.check_requirements,
            self.check_duplicates,
            self.check_and_form_iin,
            self.form_iin,
            self.issue_certificate,
            self.issue_rejection_notice,
            self.record_review,
            self.record_withdrawal,
        ]

    def _decided(self, name: str) -> datetime:
        self.calls.append(name)
        return SYSTEM_CLOCK.now()

    def _decision(self, step: Step, findings: tuple[Finding, ...]) -> Decision:
        return Decision(step=step, findings=findings, decided_at=self._decided(step.value))

    def _duplicates(self) -> DuplicateDecision:
        return DuplicateDecision(
            step=Step.DUPLICATES,
            findings=self.outcomes.duplicates,
            for_review=self.outcomes.for_review,
            decided_at=self._decided(Step.DUPLICATES.value),
        )

    @activity.defn(name="open_and_check")
    async def open_and_check(self, data: ApplicationInput) -> OpeningChecks:
        """The opening checks at once, stopping at the first that rejects, as the real one does."""
        submission = self._decision(Step.SUBMISSION, ())
        verification = self._decision(Step.VERIFICATION, self.outcomes.verification)
        if not verification.passed:
            return OpeningChecks(submission=submission, verification=verification)
        requirements = self._decision(Step.REQUIREMENTS, self.outcomes.requirements)
        return OpeningChecks(submission=submission, verification=verification, requirements=requirements)

    @activity.defn(name="assess_application")
    async def assess_application(self, data: ApplicationInput) -> Assessment:
        """The opening checks and the duplicate check at once, as workflows before `national-register` ask."""
        opening = await self.open_and_check(data)
        if opening.requirements is None or not opening.requirements.passed:
            return Assessment(**dict(opening))
        return Assessment(**dict(opening), duplicates=self._duplicates())

    @activity.defn(name="register_submission")
    async def register_submission(self, data: ApplicationInput) -> Decision:
        """Open the application."""
        return self._decision(Step.SUBMISSION, ())

    @activity.defn(name="verify_documents")
    async def verify_documents(self, data: ApplicationInput) -> Decision:
        """The documents' verification alone."""
        return self._decision(Step.VERIFICATION, self.outcomes.verification)

    @activity.defn(name="check_requirements")
    async def check_requirements(self, data: ApplicationInput) -> Decision:
        """The legal requirements alone."""
        return self._decision(Step.REQUIREMENTS, self.outcomes.requirements)

    @activity.defn(name="check_duplicates")
    async def check_duplicates(self, data: ApplicationInput) -> DuplicateDecision:
        """The duplicate check alone."""
        return self._duplicates()

    @activity.defn(name="check_and_form_iin")
    async def check_and_form_iin(self, data: ApplicationInput) -> RegisterOutcome:
        """The duplicate check, and the IIN if it found no one, as the real one does."""
        duplicates = self._duplicates()
        await self.register_answers.wait()
        if duplicates.findings or duplicates.for_review:
            return RegisterOutcome(duplicates=duplicates)
        return RegisterOutcome(duplicates=duplicates, formed=await self.form_iin(data))

    @activity.defn(name="form_iin")
    async def form_iin(self, data: ApplicationInput) -> FormedIin:
        """A new IIN of twelve digits, unless a twin application registered the person first."""
        findings = self.outcomes.at_formation
        iin = None if findings else f"{uuid.uuid4().int % 10**12:012d}"
        return FormedIin(iin=iin, findings=findings, decided_at=self._decided("form_iin"))

    @activity.defn(name="issue_certificate")
    async def issue_certificate(self, request: CertificateRequest) -> CertificateRef:
        """A certificate number and the digest of a document that is not rendered."""
        number = f"KZ-MOCK-{uuid.uuid4().hex[:12].upper()}"
        sha256 = hashlib.sha256(f"{number} {request.iin}".encode()).hexdigest()
        return CertificateRef(number=number, sha256=sha256, issued_at=self._decided("issue_certificate"))

    @activity.defn(name="issue_rejection_notice")
    async def issue_rejection_notice(self, request: RejectionNoticeRequest) -> RejectionNoticeRef:
        """A notice number and the digest of a document that is not rendered."""
        number = f"RN-MOCK-{uuid.uuid4().hex[:12].upper()}"
        sha256 = hashlib.sha256(number.encode()).hexdigest()
        return RejectionNoticeRef(number=number, sha256=sha256, issued_at=self._decided("issue_rejection_notice"))

    @activity.defn(name="record_breach")
    async def record_breach(self, notice: BreachNotice) -> Decision:
        """Note the breach, as the projection would."""
        return self._decision(Step.BREACH, ())

    @activity.defn(name="record_review")
    async def record_review(self, request: ReviewRequest) -> ReviewOutcome:
        """The officer's verdict: same_person rejects with the real step's finding."""
        decision = request.decision
        same = decision.verdict is ReviewVerdict.SAME_PERSON
        return ReviewOutcome(
            officer_id=decision.officer_id,
            verdict=decision.verdict,
            note=decision.note,
            reviewed=request.reviewed,
            findings=(same_person_finding(decision.officer_id),) if same else (),
            decided_at=self._decided("record_review"),
        )

    @activity.defn(name="record_withdrawal")
    async def record_withdrawal(self, request: WithdrawalRequest) -> WithdrawalOutcome:
        """Who withdrew the application and why."""
        withdrawal = request.withdrawal
        return WithdrawalOutcome(
            requested_by=withdrawal.requested_by,
            reason=withdrawal.reason,
            decided_at=self._decided("record_withdrawal"),
        )


def _set(event: asyncio.Event) -> asyncio.Event:
    event.set()
    return event


def application_input(submitted_at: datetime) -> ApplicationInput:
    """An application at the embassy in Ankara submitted at `submitted_at`, due as the calendar rules say."""
    due = deadline_for(submitted_at, ANKARA.time_zone, BusinessCalendar(rest_days=ANKARA.rest_days))
    return ApplicationInput(
        application=make_application(submitted_at=submitted_at),
        establishment=ANKARA,
        service_period=OPEN_PERIOD,
        deadline=Deadline(due_date=due.due_date, due_at=due.due_at),
    )


@asynccontextmanager
async def running(
    env: WorkflowEnvironment, outcomes: Outcomes = Outcomes(), steps: MockedSteps | None = None
) -> AsyncIterator[tuple[Handle, MockedSteps]]:
    """An application started on `env`, submitted at the server's time, with a worker of mocked steps
    (`steps`, or steps deciding as `outcomes` say)."""
    steps = steps or MockedSteps(outcomes)
    queue = f"iin-mocked-{uuid.uuid4()}"
    data = application_input(await env.get_current_time())
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[IINApplicationWorkflow],
        activities=steps.activities(),
        workflow_runner=SANDBOXED_RUNNER,
    ):
        handle = await env.client.start_workflow(
            IINApplicationWorkflow.run,
            data,
            id=workflow_id(data.application.application_id),
            task_queue=queue,
        )
        yield handle, steps
