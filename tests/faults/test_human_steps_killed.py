"""Temporal and the worker killed the instant PostgreSQL records a human decision: nothing diverges.

An officer's verdict or a withdrawal reaches the workflow as an update. Temporal keeps an update it
has not yet seen accepted in memory only, so a crash of the server together with the worker loses
it. The decision must then be lost everywhere, never kept by PostgreSQL alone: the workflow records
it only once the history holds the update. Each round puts applications in review, sends each a
verdict or a withdrawal, and kills both processes (SIGKILL) the moment PostgreSQL commits the first
human decision (told by a trigger's NOTIFY); then starts both again and waits until everything rests.
At the end the projection, the audit and the workflow agree on every application.
"""

import asyncio
import os
import signal
import uuid
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import pytest
from temporalio.client import Client, WorkflowHandle

from iin_models.decisions import Step
from iin_models.enums import ApplicationState, ReviewVerdict
from iin_models.review import ReviewDecision, Withdrawal
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE, STATUS_QUERY, WITHDRAW_UPDATE, workflow_id
from tests.faults.harness import DevServer, dev_server, submit_all, worker_process
from tests.toolkit.review import probable_duplicate
from tests.toolkit.waiting import eventually

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
ROUNDS = 5
PER_ROUND = 6
CHANNEL = "human_decision_recorded"  # as NOTIFY_ON_HUMAN_DECISIONS names it
UPDATES: list[tuple[str, ReviewDecision | Withdrawal]] = [
    (WITHDRAW_UPDATE, Withdrawal(requested_by="officer-9", reason="asked by the applicant")),
    (REVIEW_UPDATE, ReviewDecision(officer_id="officer-3", verdict=ReviewVerdict.SAME_PERSON)),
    (REVIEW_UPDATE, ReviewDecision(officer_id="officer-3", verdict=ReviewVerdict.DIFFERENT_PERSON)),
]


def handle_of(client: Client, application_id: UUID) -> WorkflowHandle[object, ApplicationStatus]:
    return client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)


def at_rest(status: ApplicationStatus) -> bool:
    """Ended, or waiting in review for a decision that was lost with the processes."""
    return status.state.is_terminal or status.state is ApplicationState.AWAITING_REVIEW


async def projected_states(pool: asyncpg.Pool, ids: list[UUID]) -> dict[UUID, str]:
    rows = await pool.fetch("SELECT application_id, state FROM applications WHERE application_id = ANY($1)", ids)
    return {row["application_id"]: row["state"] for row in rows}


async def audited_steps(pool: asyncpg.Pool, ids: list[UUID]) -> dict[UUID, set[str]]:
    rows = await pool.fetch("SELECT application_id, step FROM audit_events WHERE application_id = ANY($1)", ids)
    steps: dict[UUID, set[str]] = {i: set() for i in ids}
    for row in rows:
        steps[row["application_id"]].add(row["step"])
    return steps


NOTIFY_ON_HUMAN_DECISIONS = """
    CREATE OR REPLACE FUNCTION notify_human_decision() RETURNS trigger LANGUAGE plpgsql AS
    $$BEGIN PERFORM pg_notify('human_decision_recorded', NEW.application_id::text); RETURN NEW; END$$;
    CREATE OR REPLACE TRIGGER notify_human_decision AFTER INSERT ON audit_events FOR EACH ROW
    WHEN (NEW.step IN ('review', 'withdrawal')) EXECUTE FUNCTION notify_human_decision()"""


async def settled(client: Client, ids: list[UUID]) -> dict[UUID, ApplicationStatus | None]:
    """Each application's status once it rests, None while a step is still pending (e.g. an activity whose
    worker died, retried after its timeout)."""
    found: dict[UUID, ApplicationStatus | None] = {}
    for i in ids:
        handle = handle_of(client, i)
        status = await handle.query(STATUS_QUERY, result_type=ApplicationStatus)
        pending = (await handle.describe()).raw_description.pending_activities
        found[i] = status if at_rest(status) and not pending else None
    return found


async def test_a_crash_at_a_human_decision_leaves_projection_audit_and_workflow_agreeing(
    pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-faults-{uuid.uuid4()}"
    ids: list[UUID] = []
    crashes = 0
    await pool.execute(NOTIFY_ON_HUMAN_DECISIONS)
    listener = await asyncpg.connect(database_dsn)
    try:
        async with dev_server() as server:
            client = await server.connect()
            with worker_process(server.address, server.namespace, database_dsn, queue, tmp_path) as worker:
                armed = asyncio.Event()

                def crash(*_: Any) -> None:
                    # At the commit of a human decision, before anything else runs: both processes die.
                    if armed.is_set():
                        armed.clear()
                        os.kill(worker.process.pid, signal.SIGKILL)
                        assert server.process is not None
                        os.kill(server.process.pid, signal.SIGKILL)

                await listener.add_listener(CHANNEL, crash)
                await worker.ready()
                for _ in range(ROUNDS):
                    batch = await submit_all(
                        client, pool, [await probable_duplicate(pool) for _ in range(PER_ROUND)], queue
                    )
                    ids += batch
                    await eventually(
                        partial(projected_states, pool, batch),
                        lambda states: list(states.values()) == ["awaiting_review"] * PER_ROUND,
                        within=60,
                    )
                    armed.set()
                    sent = [
                        asyncio.create_task(
                            handle_of(client, i).execute_update(
                                *UPDATES[n % len(UPDATES)], result_type=ApplicationStatus
                            )
                        )
                        for n, i in enumerate(batch)
                    ]
                    await asyncio.gather(*sent, return_exceptions=True)  # a lost update is the caller's to resend
                    crashed = not armed.is_set()
                    armed.clear()
                    if crashed:
                        crashes += 1
                        worker.process.wait(10)
                        await restart(server)
                        client = await server.connect()
                        worker.start()
                        await worker.ready()
                rested = await eventually(
                    partial(settled, client, ids), lambda found: None not in found.values(), within=120
                )
                statuses = {i: s for i, s in rested.items() if s is not None}
    finally:
        await listener.close()
        await pool.execute("DROP TRIGGER notify_human_decision ON audit_events; DROP FUNCTION notify_human_decision()")

    projected = await projected_states(pool, ids)
    audited = await audited_steps(pool, ids)
    divergent = [i for i in ids if projected[i] != statuses[i].state.value]
    unaudited = [
        i
        for i in ids
        if (Step.WITHDRAWAL.value in audited[i]) != (statuses[i].state is ApplicationState.WITHDRAWN)
        or (Step.REVIEW.value in audited[i])
        != (statuses[i].state not in (ApplicationState.AWAITING_REVIEW, ApplicationState.WITHDRAWN))
    ]
    decided = sum(1 for s in statuses.values() if s.state is not ApplicationState.AWAITING_REVIEW)
    print(
        f"faults: human steps: applications={len(ids)} crashes={crashes} decided={decided}"
        f" divergent={len(divergent)} unaudited={len(unaudited)}"
    )
    assert crashes > 0, "no decision was recorded while armed: the test exercised nothing"
    assert divergent == [] and unaudited == []


async def restart(server: DevServer) -> None:
    """Start the killed dev server again on its file and port."""
    assert server.process is not None
    server.process.wait(10)
    await server.start()
