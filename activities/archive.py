"""Archiving ended applications' histories: the sweep the schedule runs, and what `iin archive sweep` runs by hand.

A workflow cannot archive its own history (it is complete only once the workflow has closed), so a
sweep finds ended applications in the projection that the archive lacks and archives each. Whatever
stops a sweep (a worker killed, a deploy) leaves those applications for the next one, and the
archive's unique application id, checked under the chain lock, archives each exactly once however
many sweeps run at the same time.
"""

import json
from collections.abc import Callable
from datetime import UTC
from typing import Literal
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.service import RPCError, RPCStatusCode

from clock import SYSTEM_CLOCK, Clock
from db.archive import append, unarchived_ended
from iin_models.enums import ApplicationState
from schemas.contract import workflow_id

TERMINAL_STATES = tuple(state.value for state in ApplicationState if state.is_terminal)
_CLOSING_EVENTS = frozenset(
    {
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
    }
)
Outcome = Literal["archived", "already", "open", "missing"]


class SweepReport(BaseModel):
    """What one sweep did."""

    archived: int = 0
    already: int = Field(default=0, description="Archived meanwhile by another sweep.")
    still_open: int = Field(default=0, description="Ended in the projection, workflow not closed yet: next sweep.")
    missing: list[UUID] = Field(default_factory=list, description="History gone from Temporal before archiving.")


def history_bytes(history: WorkflowHistory) -> bytes:
    """The stored form: the history's proto3 JSON, payloads exactly as Temporal holds them (still encoded).

    Keys sorted (protobuf maps, such as search attributes, come in no fixed order) and no spaces: the
    same history always gives the same bytes, and so the same SHA-256.
    """
    return json.dumps(history.to_json_dict(), sort_keys=True, separators=(",", ":")).encode()


async def archive_application(
    client: Client, pool: asyncpg.Pool, application_id: UUID, state: str, clock: Clock = SYSTEM_CLOCK
) -> Outcome:
    """Archive one ended application's history, unless archived already or its workflow is still open.

    Fetching a history decodes no payload (whatever `client`'s converter), so what is stored is what
    Temporal stores.
    """
    try:
        history = await client.get_workflow_handle(workflow_id(application_id)).fetch_history()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return "missing"
        raise
    last = history.events[-1]
    if last.event_type not in _CLOSING_EVENTS:
        return "open"
    closed_at = last.event_time.ToDatetime(tzinfo=UTC)
    row = await append(
        pool,
        application_id,
        history.workflow_id,
        history.run_id,
        state,
        closed_at,
        history_bytes(history),
        archived_at=clock.now(),
    )
    return "already" if row is None else "archived"


async def sweep(
    client: Client,
    pool: asyncpg.Pool,
    *,
    page: int = 200,
    on_each: Callable[[UUID, Outcome], None] = lambda *_: None,
    clock: Clock = SYSTEM_CLOCK,
) -> SweepReport:
    """Archive every ended, unarchived application, page by page; report what happened."""
    report = SweepReport()
    after = None
    while True:
        async with pool.acquire() as conn:
            batch = await unarchived_ended(conn, TERMINAL_STATES, after, page)
        for updated_at, application_id, state in batch:
            outcome = await archive_application(client, pool, application_id, state, clock)
            if outcome == "archived":
                report.archived += 1
            elif outcome == "already":
                report.already += 1
            elif outcome == "open":
                report.still_open += 1
            else:
                report.missing.append(application_id)
            on_each(application_id, outcome)
            after = (updated_at, application_id)
        if len(batch) < page:
            return report


class ArchiveActivities:
    """The sweep as an activity, for the schedule's workflow."""

    def __init__(self, pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock

    @activity.defn(name="archive_ended_applications")
    async def archive_ended_applications(self) -> SweepReport:
        """Archive every ended, unarchived application; heartbeats after each, so a dead worker is noticed."""
        return await sweep(activity.client(), self._pool, on_each=lambda *_: activity.heartbeat(), clock=self._clock)
