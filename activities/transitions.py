"""How a step's outcome shows in the projection: a passed step may move the state, a failed one rejects."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from db.applications import record_transition
from db.pool import Connection
from schemas.decisions import Finding
from schemas.enums import ApplicationState
from schemas.status import Transition


async def close_step(
    conn: Connection,
    application_id: UUID,
    findings: Sequence[Finding],
    at: datetime,
    on_pass: ApplicationState | None,
) -> None:
    """Record the transition a step causes: rejected with its reasons, or `on_pass` if given."""
    if findings:
        reasons = tuple(dict.fromkeys(f.reason for f in findings))
        transition = Transition(state=ApplicationState.REJECTED, at=at, reasons=reasons)
    elif on_pass is not None:
        transition = Transition(state=on_pass, at=at)
    else:
        return
    await record_transition(conn, application_id, transition)
