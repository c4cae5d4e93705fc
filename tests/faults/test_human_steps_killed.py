"""A worker killed while it accepts officers' verdicts and withdrawals: the projection never runs ahead.

A verdict or a withdrawal is recorded in PostgreSQL only once the history holds the update that carried
it. Each round puts applications in review, sends each a verdict or a withdrawal, and kills the worker
a random moment later (often between an update's acceptance and the completion of its workflow task),
then starts it again. At the end the projection, the audit and the workflow agree on every application.
"""

import asyncio
import random
import uuid
from functools import partial
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from temporalio.client import Client, WorkflowHandle

from schemas.contract import REVIEW_UPDATE, STATUS_QUERY, WITHDRAW_UPDATE, workflow_id
from schemas.decisions import Step
from schemas.enums import ApplicationState, ReviewVerdict
from schemas.review import ReviewDecision, Withdrawal
from schemas.status import ApplicationStatus
from tests.faults.harness import submit_all, worker_process
from tests.helpers import eventually
from tests.workflows.test_review import probable_duplicate

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
ROUNDS = 4
PER_ROUND = 12
UPDATES: list[tuple[str, ReviewDecision | Withdrawal]] = [
    (WITHDRAW_UPDATE, Withdrawal(requested_by="officer-9", reason="asked by the applicant")),
    (REVIEW_UPDATE, ReviewDecision(officer_id="officer-3", verdict=ReviewVerdict.SAME_PERSON)),
    (REVIEW_UPDATE, ReviewDecision(officer_id="officer-3", verdict=ReviewVerdict.DIFFERENT_PERSON)),
]


def handle_of(client: Client, application_id: UUID) -> WorkflowHandle[object, ApplicationStatus]:
    return client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)


def at_rest(status: ApplicationStatus) -> bool:
    """Ended, or waiting in review for a decision that was lost with the worker."""
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


async def test_a_worker_killed_around_human_decisions_leaves_projection_audit_and_workflow_agreeing(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    rng = random.Random()
    queue = f"iin-faults-{uuid.uuid4()}"
    address = client.service_client.config.target_host
    ids: list[UUID] = []
    with worker_process(address, client.namespace, database_dsn, queue, tmp_path) as worker:
        await worker.ready()
        for _ in range(ROUNDS):
            batch = await submit_all(client, pool, [await probable_duplicate(pool) for _ in range(PER_ROUND)], queue)
            ids += batch
            await eventually(
                partial(projected_states, pool, batch),
                lambda states: list(states.values()) == ["awaiting_review"] * PER_ROUND,
                within=60,
            )
            sent = [
                asyncio.create_task(
                    handle_of(client, i).execute_update(*UPDATES[n % len(UPDATES)], result_type=ApplicationStatus)
                )
                for n, i in enumerate(batch)
            ]
            await asyncio.sleep(rng.uniform(0.0, 0.08))
            worker.kill()
            worker.start()
            await worker.ready()
            await asyncio.gather(*sent, return_exceptions=True)  # a lost update is the caller's to send again

        async def settled() -> dict[UUID, ApplicationStatus]:
            return {i: await handle_of(client, i).query(STATUS_QUERY, result_type=ApplicationStatus) for i in ids}

        # Whatever was accepted runs to its end; whatever was lost rests in review.
        statuses = await eventually(
            settled,
            lambda found: all(
                s.state.is_terminal or s.state is ApplicationState.AWAITING_REVIEW for s in found.values()
            ),
            within=90,
        )

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
    print(f"faults: human steps: applications={len(ids)} decided={decided} divergent={len(divergent)}")
    assert divergent == [] and unaudited == []
    assert decided > 0, "no decision took effect: the test exercised nothing"
