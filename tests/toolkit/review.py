"""Applications that wait for an officer: a probable duplicate, submitted (on Temporal or through the API)
and followed into awaiting_review."""

from typing import Any

import asyncpg
import httpx
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import ActivityEnvironment

from activities.iin import IinActivities
from clock import SYSTEM_CLOCK
from db.api_keys import token_digest
from iin_models.application import Applicant, Application
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from register.embedded import EmbeddedRegister
from schemas.contract import STATUS_QUERY
from service.intake import resolve, submit
from tests.factories import make_application
from tests.toolkit.waiting import eventually

Handle = WorkflowHandle[Any, ApplicationStatus]


async def probable_duplicate(pool: asyncpg.Pool, establishment_id: str = "emb-tr-ankara") -> Application:
    """An application at `establishment_id` of a registered person's name and birth date under another citizenship."""
    first = make_application()
    formed = await ActivityEnvironment().run(
        IinActivities(pool, EmbeddedRegister(pool)).form_iin, await resolve(pool, first, now=SYSTEM_CLOCK.now())
    )
    assert formed.iin is not None
    applicant = Applicant(**(first.applicant.model_dump() | {"citizenship": "DE"}))
    return make_application(applicant=applicant, establishment_id=establishment_id)


async def status_of(handle: Handle) -> ApplicationStatus:
    """The workflow's `status` query."""
    result: ApplicationStatus = await handle.query(STATUS_QUERY, result_type=ApplicationStatus)
    return result


async def awaiting_review(client: Client, pool: asyncpg.Pool, queue: str, *, indexed: bool = True) -> Handle:
    """A probable duplicate submitted on `queue`, once its workflow waits in awaiting_review."""
    submitted = await submit(
        client, pool, await probable_duplicate(pool), queue, indexed=indexed, now=SYSTEM_CLOCK.now()
    )
    await eventually(lambda: status_of(submitted.handle), lambda s: s.state is ApplicationState.AWAITING_REVIEW)
    return submitted.handle


async def in_review_through_the_api(
    http: httpx.AsyncClient, pool: asyncpg.Pool, token: str, establishment_id: str = "emb-tr-ankara"
) -> Application:
    """A probable duplicate filed at `establishment_id` through the API with `token` (a key of that
    establishment), once the projection shows it awaiting review."""
    application = await probable_duplicate(pool, establishment_id)
    answer = await http.post(
        "/v1/applications",
        content=application.model_dump_json(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 202, answer.text

    async def state() -> str | None:
        async with pool.acquire() as conn:
            found: str | None = await conn.fetchval(
                "SELECT state FROM applications WHERE application_id = $1", application.application_id
            )
        return found

    await eventually(state, lambda s: s == ApplicationState.AWAITING_REVIEW.value)
    return application


async def key_id_of(pool: asyncpg.Pool, token: str) -> str:
    """The id of the key whose token this is."""
    async with pool.acquire() as conn:
        found: str = await conn.fetchval("SELECT id FROM api_keys WHERE token_sha256 = $1", token_digest(token))
    return found
