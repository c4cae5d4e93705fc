"""Record the histories CI replays: one per path through the workflow, from the code as released.

Run `python -m tests.histories.record` when a workflow change is released (after replaying the
old ones): it adds files named by the time of recording beside the old histories, never rewriting one.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from db.pool import create_pool
from history.replay import history_file
from iin_models.application import Applicant, Application
from iin_models.enums import ApplicationState, Certification, ReviewVerdict
from iin_models.review import ReviewDecision, Withdrawal
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE, STATUS_QUERY, WITHDRAW_UPDATE
from service.intake import submit
from tests.factories import make_applicant, make_application, make_document, make_translation
from tests.toolkit.databases import fresh_database, postgres_server
from tests.toolkit.environments import start_dev_server, start_time_skipping
from tests.toolkit.waiting import eventually
from workers.worker import build_worker

HERE = Path(__file__).parent
Handle = WorkflowHandle[Any, ApplicationStatus]
Scenario = Callable[[Client, asyncpg.Pool, str], Awaitable[Handle]]


async def _run(
    client: Client, pool: asyncpg.Pool, queue: str, application: Application, indexed: bool = True
) -> Handle:
    submitted = await submit(client, pool, application, queue, indexed=indexed, now=SYSTEM_CLOCK.now())
    await submitted.handle.result()
    return submitted.handle


async def _awaiting_review(client: Client, pool: asyncpg.Pool, queue: str, indexed: bool = True) -> Handle:
    """A registered person's name and birth date under another citizenship: a probable duplicate."""
    first = make_application()
    await _run(client, pool, queue, first, indexed)
    again = make_application(applicant=Applicant(**(first.applicant.model_dump() | {"citizenship": "DE"})))
    handle = (await submit(client, pool, again, queue, indexed=indexed, now=SYSTEM_CLOCK.now())).handle
    await eventually(
        lambda: handle.query(STATUS_QUERY, result_type=ApplicationStatus),
        lambda status: status.state is ApplicationState.AWAITING_REVIEW,
    )
    return handle


def _verdict(verdict: ReviewVerdict) -> Scenario:
    async def scenario(client: Client, pool: asyncpg.Pool, queue: str) -> Handle:
        handle = await _awaiting_review(client, pool, queue)
        await handle.execute_update(REVIEW_UPDATE, ReviewDecision(officer_id="officer-3", verdict=verdict))
        await handle.result()
        return handle

    return scenario


async def _withdrawn(client: Client, pool: asyncpg.Pool, queue: str) -> Handle:
    handle = await _awaiting_review(client, pool, queue)
    await handle.execute_update(WITHDRAW_UPDATE, Withdrawal(requested_by="officer-3", reason="applicant asked"))
    await handle.result()
    return handle


async def _already_registered(client: Client, pool: asyncpg.Pool, queue: str) -> Handle:
    first = make_application()
    await _run(client, pool, queue, first)
    return await _run(client, pool, queue, make_application(applicant=first.applicant))


def _plain(factory: Callable[[], Application]) -> Scenario:
    async def scenario(client: Client, pool: asyncpg.Pool, queue: str) -> Handle:
        return await _run(client, pool, queue, factory())

    return scenario


async def _breached_in_review(client: Client, pool: asyncpg.Pool, queue: str, env: WorkflowEnvironment) -> Handle:
    handle = await _awaiting_review(client, pool, queue, indexed=False)
    description = await handle.query(STATUS_QUERY, result_type=ApplicationStatus)
    await env.sleep(description.deadline - await env.get_current_time() + timedelta(hours=1))
    await handle.execute_update(
        REVIEW_UPDATE, ReviewDecision(officer_id="officer-3", verdict=ReviewVerdict.DIFFERENT_PERSON)
    )
    await handle.result()
    return handle


SCENARIOS: dict[str, Scenario] = {
    "certificate": _plain(make_application),
    "documents_unreliable": _plain(
        lambda: make_application(
            document=make_document(particulars_in_latin_or_cyrillic=False, issuing_state="CN"),
            translation=make_translation(certification=Certification.NONE, certified_on=None),
        )
    ),
    "requirements_not_met": _plain(lambda: make_application(applicant=make_applicant(citizenship="KZ"))),
    "already_registered": _already_registered,
    "review_same_person": _verdict(ReviewVerdict.SAME_PERSON),
    "review_different_person": _verdict(ReviewVerdict.DIFFERENT_PERSON),
    "withdrawn": _withdrawn,
}


async def _save(out: Path, name: str, handle: Handle) -> Path:
    history = await handle.fetch_history()
    path = out / f"{SYSTEM_CLOCK.now():%Y%m%dT%H%M}-{name}.json"
    with path.open("x", encoding="utf-8") as file:  # a released history is never rewritten
        file.write(history_file(history.workflow_id, history))
    return path


async def record(out: Path) -> list[Path]:
    """Run every scenario on a fresh dev server (and the breach on the time-skipping server)."""
    written = []
    async with postgres_server("iin-record-") as server, fresh_database(server, "record") as database:
        dev = await start_dev_server()
        skipping = await start_time_skipping()
        pool = await create_pool(database.dsn, max_size=10)
        try:
            queue = f"record-{uuid.uuid4()}"
            async with build_worker(dev.client, pool, queue):
                for name, scenario in SCENARIOS.items():
                    written.append(await _save(out, name, await scenario(dev.client, pool, queue)))
            async with build_worker(skipping.client, pool, queue):
                handle = await _breached_in_review(skipping.client, pool, queue, skipping)
                written.append(await _save(out, "breached_in_review", handle))
        finally:
            await pool.close()
            await dev.shutdown()
            await skipping.shutdown()
    return written


if __name__ == "__main__":
    for path in asyncio.run(record(HERE)):
        print(path)
