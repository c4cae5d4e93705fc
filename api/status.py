"""The status of one application within a key's scope: from its workflow while it runs, else the projection."""

from datetime import timedelta
from uuid import UUID

from temporalio.service import RPCError

from api.context import ApiContext
from api.problems import ProblemError
from db.applications import establishment_of, find_status
from iin_models.status import ApplicationStatus
from schemas.contract import STATUS_QUERY, workflow_id

QUERY_TIMEOUT = timedelta(seconds=5)


async def stored_status(context: ApiContext, application_id: UUID, scope: str | None) -> ApplicationStatus | None:
    """The projection's status of an application within `scope` (None before its first step); 404 outside."""
    async with context.pool.acquire() as conn:
        owner = await establishment_of(conn, application_id)
        if owner is None or (scope is not None and owner != scope):
            raise ProblemError("not-found", f"no application {application_id}")
        return await find_status(conn, application_id)


async def current_status(context: ApiContext, application_id: UUID, scope: str | None) -> ApplicationStatus:
    """The full status: from the workflow while it runs, from the projection once it has ended."""
    stored = await stored_status(context, application_id, scope)
    if stored is not None and stored.state.is_terminal:
        return stored
    handle = context.client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)
    try:
        live: ApplicationStatus = await handle.query(
            STATUS_QUERY, result_type=ApplicationStatus, rpc_timeout=QUERY_TIMEOUT
        )
    except RPCError as error:
        if stored is not None:
            return stored
        raise ProblemError("unavailable", "the application's workflow cannot be reached") from error
    return live


async def status_after_event(
    context: ApiContext, application_id: UUID, scope: str | None, before: ApplicationStatus
) -> ApplicationStatus:
    """The status once an event committed: the workflow's if it has taken the step in, else the projection's.

    The projection commits before the workflow sees its step's result, so a query right after the event
    may still show the state before it; the projection already holds the new one.
    """
    live = await current_status(context, application_id, scope)
    if (live.state, live.breached) != (before.state, before.breached):
        return live
    stored = await stored_status(context, application_id, scope)
    return stored if stored is not None else live
