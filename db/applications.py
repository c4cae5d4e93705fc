"""The applications projection: a row per application mirroring the workflow's transitions."""

from datetime import datetime
from uuid import UUID

from db.pool import Connection
from schemas.contract import ApplicationInput
from schemas.decisions import Finding
from schemas.enums import ApplicationState
from schemas.status import ApplicationStatus, Transition


async def open_application(conn: Connection, data: ApplicationInput) -> None:
    """Insert the row of a submitted application; a second call leaves it as it is."""
    application = data.application
    first = Transition(state=ApplicationState.SUBMITTED, at=application.submitted_at)
    await conn.execute(
        """INSERT INTO applications (application_id, establishment_id, state, submitted_at, due_date, deadline,
                                     transitions)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (application_id) DO NOTHING""",
        application.application_id,
        application.establishment_id,
        first.state.value,
        application.submitted_at,
        data.deadline.due_date,
        data.deadline.due_at,
        [first.model_dump(mode="json")],
    )


async def record_transition(
    conn: Connection,
    application_id: UUID,
    transition: Transition,
    *,
    iin: str | None = None,
    certificate_number: str | None = None,
) -> None:
    """Move the row to `transition.state`, appending the transition and what it brought."""
    await conn.execute(
        """UPDATE applications SET state = $2, transitions = transitions || $3::jsonb,
                  rejection_reasons = rejection_reasons || $4::text[],
                  iin = coalesce($5, iin), certificate_number = coalesce($6, certificate_number),
                  updated_at = now()
           WHERE application_id = $1""",
        application_id,
        transition.state.value,
        [transition.model_dump(mode="json")],
        [reason.value for reason in transition.reasons],
        iin,
        certificate_number,
    )


async def record_breach(conn: Connection, application_id: UUID, at: datetime) -> None:
    """Mark the deadline as breached at `at`."""
    await conn.execute(
        "UPDATE applications SET breached = true, breached_at = $2, updated_at = now() WHERE application_id = $1",
        application_id,
        at,
    )


async def find_status(conn: Connection, application_id: UUID) -> ApplicationStatus | None:
    """The application's status as the projection holds it, with the findings of its decisions."""
    row = await conn.fetchrow(
        """SELECT a.*, c.sha256 AS certificate_sha256 FROM applications a
           LEFT JOIN certificates c ON c.number = a.certificate_number
           WHERE a.application_id = $1""",
        application_id,
    )
    if row is None:
        return None
    results = await conn.fetch(
        "SELECT result FROM decisions WHERE application_id = $1 ORDER BY decided_at", application_id
    )
    findings = [Finding.model_validate(f) for r in results for f in r["result"].get("findings", [])]
    return ApplicationStatus(
        application_id=row["application_id"],
        establishment_id=row["establishment_id"],
        state=ApplicationState(row["state"]),
        submitted_at=row["submitted_at"],
        due_date=row["due_date"],
        deadline=row["deadline"],
        breached=row["breached"],
        breached_at=row["breached_at"],
        transitions=[Transition.model_validate(t) for t in row["transitions"]],
        iin=row["iin"],
        rejection_reasons=row["rejection_reasons"],
        findings=findings,
        certificate_number=row["certificate_number"],
        certificate_sha256=row["certificate_sha256"],
    )
