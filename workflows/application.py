"""IINApplicationWorkflow: one application, from submission to a certificate or a rejection.

submitted -> documents_verified -> iin_formed -> certificate_issued, or rejected at any check.
A durable timer runs beside the steps to the deadline resolved at submission; if it fires first the
breach is recorded and the work goes on. Every step is a local activity that decides once and
records its decision, projection and audit in one transaction: each costs no extra round trip to
the server, and a retry returns what was decided.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.certificates import CertificateActivities
    from activities.checks import CheckActivities
    from activities.iin import IinActivities
    from activities.submission import SubmissionActivities
    from schemas.contract import (
        STATUS_QUERY,
        WORKFLOW_TYPE,
        ApplicationInput,
        BreachNotice,
        CertificateRequest,
    )
    from schemas.decisions import Decision, Finding
    from schemas.enums import ApplicationState
    from schemas.status import ApplicationStatus, Transition
    from workflows import search_attributes

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


@workflow.defn(name=WORKFLOW_TYPE)
class IINApplicationWorkflow:
    @workflow.init
    def __init__(self, data: ApplicationInput) -> None:
        application = data.application
        self._data = data
        self._breach_recording: asyncio.Task[Decision] | None = None
        self._registered = False
        self._status = ApplicationStatus(
            application_id=application.application_id,
            establishment_id=application.establishment_id,
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
        deadline_watch = asyncio.create_task(self._watch_deadline())
        try:
            await self._process(data)
        finally:
            if self._breach_recording is None:
                deadline_watch.cancel()
            else:
                await self._breach_recording  # a breach noticed must reach the projection
        return self._status

    async def _process(self, data: ApplicationInput) -> None:
        await self._step(SubmissionActivities.register_submission, data, "open the application")
        self._registered = True
        verification = await self._step(CheckActivities.verify_documents, data, "verify the documents")
        if not self._passed(verification.findings, verification.decided_at):
            return
        self._move(ApplicationState.DOCUMENTS_VERIFIED, verification)
        for check, summary in (
            (CheckActivities.check_requirements, "check the legal requirements"),
            (CheckActivities.check_duplicates, "look for an existing IIN"),
        ):
            decision = await self._step(check, data, summary)
            if not self._passed(decision.findings, decision.decided_at):
                return
        formed = await self._step(IinActivities.form_iin, data, "form the IIN")
        if formed.iin is None or not self._passed(formed.findings, formed.decided_at):
            return
        self._status.iin = formed.iin
        self._transition(Transition(state=ApplicationState.IIN_FORMED, at=formed.decided_at))
        certificate = await self._step(
            CertificateActivities.issue_certificate,
            CertificateRequest(data=data, iin=formed.iin),
            "issue the registration certificate",
        )
        self._status.certificate_number = certificate.number
        self._status.certificate_sha256 = certificate.sha256
        self._transition(Transition(state=ApplicationState.CERTIFICATE_ISSUED, at=certificate.issued_at))

    async def _step(self, activity: Callable[[Any, A], Awaitable[R]], arg: A, summary: str) -> R:
        return await workflow.execute_local_activity_method(
            activity,
            arg,
            start_to_close_timeout=STEP_TIMEOUT,
            retry_policy=STEP_RETRY,
            local_retry_threshold=LOCAL_RETRY_THRESHOLD,
            summary=summary,
        )

    def _passed(self, findings: tuple[Finding, ...], at: datetime) -> bool:
        if not findings:
            return True
        self._status.findings.extend(findings)
        reasons = tuple(dict.fromkeys(f.reason for f in findings))
        self._status.rejection_reasons.extend(reasons)
        self._transition(Transition(state=ApplicationState.REJECTED, at=at, reasons=reasons))
        return False

    def _move(self, state: ApplicationState, decision: Decision) -> None:
        self._transition(Transition(state=state, at=decision.decided_at))

    def _transition(self, transition: Transition) -> None:
        self._status.state = transition.state
        self._status.transitions.append(transition)
        self._index()

    def _index(self) -> None:
        # The starter chooses whether an application is indexed (a server without a visibility
        # store has no custom attributes); the workflow keeps the attributes it was given current.
        if workflow.info().typed_search_attributes.get(search_attributes.STATE) is not None:
            workflow.upsert_search_attributes(search_attributes.updates_for(self._status))

    async def _watch_deadline(self) -> None:
        remaining = self._data.deadline.due_at - workflow.now()
        if remaining > timedelta(0):
            await workflow.sleep(remaining, summary=f"deadline: end of {self._data.deadline.due_date}")
        if self._status.state.is_terminal:
            return
        self._status.breached = True
        self._status.breached_at = workflow.now()
        self._index()
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
