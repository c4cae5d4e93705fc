"""One application's decision timeline, read from its workflow history and decoded.

For auditors: what was submitted and resolved at intake, each step with its decision, the deadline
timer, who acted through updates (reviews, withdrawals), and how it ended.
"""

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter

from iin_models.status import ApplicationStatus
from schemas.contract import ApplicationInput


class TimelineEntry(BaseModel):
    """One thing that happened, when, and what it carried."""

    at: datetime
    event: str
    detail: dict[str, Any]


async def _decode(converter: DataConverter, payloads: list[Payload], hint: type | None = None) -> Any:
    if not payloads:
        return None
    values = await converter.decode(payloads, [hint] if hint else None)
    value = values[0]
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


async def _entry(event: HistoryEvent, converter: DataConverter, scheduled: dict[int, str]) -> TimelineEntry | None:
    at = event.event_time.ToDatetime(tzinfo=UTC)
    kind = event.event_type
    if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        started = await converter.decode(
            list(event.workflow_execution_started_event_attributes.input.payloads), [ApplicationInput]
        )
        data: ApplicationInput = started[0]
        return TimelineEntry(
            at=at,
            event="submitted",
            detail={
                "application_id": str(data.application.application_id),
                "establishment": data.establishment.id,
                "officer": data.application.officer_id,
                "submitted_at": data.application.submitted_at.isoformat(),
                "service_period": data.service_period.id,
                "due_date": data.deadline.due_date.isoformat(),
                "deadline": data.deadline.due_at.isoformat(),
            },
        )
    if kind == EventType.EVENT_TYPE_MARKER_RECORDED:
        details = event.marker_recorded_event_attributes.details
        meta = await _decode(converter, list(details["data"].payloads)) if "data" in details else {}
        result = await _decode(converter, list(details["result"].payloads)) if "result" in details else None
        if isinstance(meta, str | bytes):
            meta = json.loads(meta)
        return TimelineEntry(
            at=at,
            event=f"step {meta.get('activity_type', '?')}",
            detail={"result": result, "attempt": meta.get("attempt")},
        )
    if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        # A regular activity (a call to the register, a human step): named here, decided at its completion.
        scheduled[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
        return None
    if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        scheduled[event.event_id] = str(event.activity_task_started_event_attributes.attempt)
        return None
    if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        completed = event.activity_task_completed_event_attributes
        return TimelineEntry(
            at=at,
            event=f"step {scheduled.get(completed.scheduled_event_id, '?')}",
            detail={
                "result": await _decode(converter, list(completed.result.payloads)),
                "attempt": int(scheduled.get(completed.started_event_id, "0")) or None,
            },
        )
    if kind == EventType.EVENT_TYPE_TIMER_STARTED:
        timeout = event.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
        return TimelineEntry(at=at, event="timer set", detail={"fires_in": str(timeout)})
    if kind == EventType.EVENT_TYPE_TIMER_FIRED:
        return TimelineEntry(at=at, event="timer fired", detail={})
    if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        request = event.workflow_execution_update_accepted_event_attributes.accepted_request
        args = await _decode(converter, list(request.input.args.payloads))
        return TimelineEntry(at=at, event=f"update {request.input.name}", detail={"input": args})
    if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        final = await converter.decode(
            list(event.workflow_execution_completed_event_attributes.result.payloads), [ApplicationStatus]
        )
        status: ApplicationStatus = final[0]
        return TimelineEntry(
            at=at,
            event=f"ended {status.state.value}",
            detail={
                "iin": status.iin,
                "certificate_number": status.certificate_number,
                "rejection_reasons": [r.value for r in status.rejection_reasons],
                "findings": [f.model_dump(mode="json") for f in status.findings],
                "breached": status.breached,
                "breached_at": status.breached_at.isoformat() if status.breached_at else None,
            },
        )
    return None


async def timeline(history: WorkflowHistory, converter: DataConverter) -> list[TimelineEntry]:
    """The decoded timeline of `history`, in event order."""
    entries = []
    scheduled: dict[int, str] = {}  # event id -> activity type (scheduled) or attempt (started)
    for event in history.events:
        entry = await _entry(event, converter, scheduled)
        if entry is not None:
            entries.append(entry)
    return entries
