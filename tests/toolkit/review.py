"""Applications that wait for an officer: a probable duplicate, submitted and followed into awaiting_review."""

from typing import Any

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import ActivityEnvironment

from activities.iin import IinActivities
from clock import SYSTEM_CLOCK
from register.embedded import EmbeddedRegister
from schemas.application import Applicant, Application
from schemas.contract import STATUS_QUERY
from schemas.enums import ApplicationState
from schemas.status import ApplicationStatus
from service.intake import resolve, submit
from tests.factories import make_application
from tests.toolkit.waiting import eventually

Handle = WorkflowHandle[Any, ApplicationStatus]


async def probable_duplicate(pool: asyncpg.Pool) -> Application:
    """An application of a registered person's name and birth date under another citizenship."""
    first = make_application()
    formed = await ActivityEnvironment().run(
        IinActivities(pool, EmbeddedRegister(pool)).form_iin, await resolve(pool, first, now=SYSTEM_CLOCK.now())
    )
    assert formed.iin is not None
    return make_application(applicant=Applicant(**(first.applicant.model_dump() | {"citizenship": "DE"})))


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
