"""Applications whose worker asks a remote national register (the simulator), through its faults."""

import asyncio
from datetime import timedelta
from typing import Any

import asyncpg
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client, WorkflowHandle

from clock import SYSTEM_CLOCK
from iin_models.enums import ApplicationState, RejectionReason
from iin_models.national_register import Registrant
from iin_models.status import ApplicationStatus
from register.remote import RemoteRegister
from schemas.establishment import Deadline
from service.intake import resolve, start, submit
from tests.factories import make_application, make_document
from tests.toolkit.register import RunningSimulator
from tests.toolkit.waiting import eventually

Handle = WorkflowHandle[Any, ApplicationStatus]


async def test_an_application_gets_its_iin_from_the_register_and_none_is_kept_locally(
    client: Client, pool: asyncpg.Pool, simulator: RunningSimulator, remote_task_queue: str
) -> None:
    application = make_application()

    status = await (await submit(client, pool, application, remote_task_queue, now=SYSTEM_CLOCK.now())).handle.result()

    assert status.state is ApplicationState.CERTIFICATE_ISSUED
    registered = await simulator.store.fetchval(
        "SELECT iin FROM people WHERE application_id = $1", application.application_id
    )
    assert registered == status.iin
    # By application, not by IIN: the service's own tables, used by other tests' embedded register, may
    # hold someone else under the same number, allocated there from the same birth-date prefix.
    assert await pool.fetchval("SELECT count(*) FROM people WHERE application_id = $1", application.application_id) == 0


async def test_a_person_given_an_iin_through_another_channel_is_refused_as_already_registered(
    client: Client, pool: asyncpg.Pool, remote_register: RemoteRegister, remote_task_queue: str
) -> None:
    # Formed elsewhere (a public service centre, say): the register holds the person, this service never saw them.
    elsewhere = make_application()
    assert (await remote_register.form(Registrant.of(elsewhere))).iin is not None
    abroad = make_application(applicant=elsewhere.applicant, document=make_document(number="RN4455667"))

    status = await (await submit(client, pool, abroad, remote_task_queue, now=SYSTEM_CLOCK.now())).handle.result()

    assert status.state is ApplicationState.REJECTED
    assert status.rejection_reasons == [RejectionReason.ALREADY_REGISTERED]


async def _waiting_on_the_register(handle: Handle) -> bool:
    pending = (await handle.describe()).raw_description.pending_activities
    return any(
        p.activity_type.name == "check_and_form_iin"
        and p.attempt >= 2
        and p.state != PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        for p in pending
    )


async def test_while_the_register_is_down_the_application_waits_and_finishes_when_it_returns(
    client: Client, pool: asyncpg.Pool, simulator: RunningSimulator, remote_task_queue: str
) -> None:
    await simulator.set_faults(down=True)
    handle = (await submit(client, pool, make_application(), remote_task_queue, now=SYSTEM_CLOCK.now())).handle

    await eventually(lambda: _waiting_on_the_register(handle), bool, within=30)
    await simulator.set_faults(down=False)

    assert (await handle.result()).state is ApplicationState.CERTIFICATE_ISSUED


async def test_lost_replies_and_errors_never_form_a_second_iin(
    client: Client, pool: asyncpg.Pool, simulator: RunningSimulator, remote_task_queue: str
) -> None:
    await simulator.set_faults(error_rate=0.1, lost_reply_rate=0.3)
    applications = [make_application() for _ in range(20)]

    handles = [(await submit(client, pool, a, remote_task_queue, now=SYSTEM_CLOCK.now())).handle for a in applications]
    statuses = await asyncio.gather(*(h.result() for h in handles))

    assert {s.state for s in statuses} == {ApplicationState.CERTIFICATE_ISSUED}
    assert simulator.lost_replies > 0 and simulator.errors > 0
    rows = await simulator.store.fetch(
        "SELECT application_id, count(*) AS n FROM people WHERE application_id = ANY($1::uuid[]) GROUP BY 1",
        [a.application_id for a in applications],
    )
    assert sorted(r["n"] for r in rows) == [1] * len(applications)
    assert len({s.iin for s in statuses}) == len(applications)


async def test_a_deadline_passing_while_the_register_is_down_is_recorded_and_the_application_still_ends(
    client: Client, pool: asyncpg.Pool, simulator: RunningSimulator, remote_task_queue: str
) -> None:
    await simulator.set_faults(down=True)
    data = await resolve(pool, make_application(), now=SYSTEM_CLOCK.now())
    # The deadline is an input: due seconds from now instead of at the end of tomorrow.
    soon = Deadline(due_date=data.deadline.due_date, due_at=SYSTEM_CLOCK.now() + timedelta(seconds=3))
    handle = await start(client, data.model_copy(update={"deadline": soon}), remote_task_queue)

    async def projected_breach() -> bool:
        breached: bool = await pool.fetchval(
            "SELECT breached FROM applications WHERE application_id = $1", data.application.application_id
        )
        return breached

    await eventually(projected_breach, bool, within=30)
    assert await _waiting_on_the_register(handle)
    await simulator.set_faults(down=False)

    final = await handle.result()
    assert final.state is ApplicationState.CERTIFICATE_ISSUED and final.breached
