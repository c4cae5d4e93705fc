"""The status of one application within a key's scope, from the projection (its workflow only before it has a row)."""

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
        status = await find_status(conn, application_id)
        # The row names its establishment; only without one does the receipt have to be looked up.
        owner = status.establishment_id if status is not None else await establishment_of(conn, application_id)
    if owner is None or (scope is not None and owner != scope):
        raise ProblemError("not-found", f"no application {application_id}")
    return status


async def current_status(context: ApiContext, application_id: UUID, scope: str | None) -> ApplicationStatus:
    """The full status, as the projection holds it: each step commits it before the workflow moves on.

    PostgreSQL answers, not the workflow: a status query is a task for the server and a worker (about a
    third of their work per application for a follower polling with `?wait`, docs/performance.md), and
    the projection answers while no worker runs. The workflow is asked only while the projection has no
    row yet (an application started outside the API, before its first step), or while a row opened before
    migration 0017 lacks the service period, which only the workflow's input holds.
    """
    stored = await stored_status(context, application_id, scope)
    if stored is not None and (stored.state.is_terminal or stored.service_period_id is not None):
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
