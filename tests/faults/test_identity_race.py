"""The race form_iin settles under the identity lock: the application that loses it ends rejected, with its notice."""

import asyncio

import asyncpg
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from iin_models.enums import ApplicationState, RejectionReason
from service.intake import submit
from tests.factories import make_applicant, make_application, make_document
from tests.toolkit.waiting import eventually


async def test_the_application_refused_at_the_identity_lock_ends_rejected(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    applicant, document = make_applicant(), make_document()
    first, second = (
        make_application(establishment_id=e, applicant=applicant, document=document)
        for e in ("emb-tr-ankara", "emb-de-berlin")
    )
    key = f"person/{applicant.citizenship}/{applicant.birth_date.isoformat()}"

    async with pool.acquire() as holder:
        # Both pass the duplicate check (nobody is registered yet) and then queue for the identity lock.
        await holder.execute("SELECT pg_advisory_lock(hashtextextended($1, 1))", key)
        handles = [(await submit(client, pool, a, task_queue, now=SYSTEM_CLOCK.now())).handle for a in (first, second)]
        await eventually(
            lambda: pool.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"),
            lambda waiting: waiting >= 2,
        )
        await holder.execute("SELECT pg_advisory_unlock_all()")
    statuses = await asyncio.wait_for(asyncio.gather(*(h.result() for h in handles)), timeout=30)

    issued, refused = sorted(statuses, key=lambda s: s.state is ApplicationState.REJECTED)
    assert issued.state is ApplicationState.CERTIFICATE_ISSUED
    assert (refused.state, refused.rejection_reasons) == (
        ApplicationState.REJECTED,
        [RejectionReason.ALREADY_REGISTERED],
    )
    assert [f.code for f in refused.findings] == ["registered_by_document"]
    assert refused.rejection_notice_number is not None
    row = await pool.fetchrow("SELECT state, iin FROM applications WHERE application_id = $1", refused.application_id)
    assert row is not None and (row["state"], row["iin"]) == ("rejected", None)
