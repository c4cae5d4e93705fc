"""The applications projection: a row per application mirroring the workflow's transitions."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from db.events import event_id
from db.pool import Connection
from iin_models.decisions import Finding, Step
from iin_models.enums import ApplicationState
from iin_models.events import EventType
from iin_models.status import ApplicationStatus, Transition
from schemas.contract import ApplicationInput

# Opening an application: its projection row and its `submitted` event, from the parameters $1-$10 of
# `opening_parameters`. Shared by the workflow's first step and the API's receipt (db/api_submissions.py).
OPENED_COLUMNS = (
    "(application_id, establishment_id, state, submitted_at, due_date, deadline, transitions, service_period_id)"
)
OPENED_RETURNING = "ON CONFLICT (application_id) DO NOTHING RETURNING application_id, establishment_id, state, breached"
SUBMITTED_EVENT = """INSERT INTO events (event_id, application_id, establishment_id, type, state, reasons, breached, at)
           SELECT $8, application_id, establishment_id, $9, state, '{}', breached, $4 FROM opened
           ON CONFLICT (event_id) DO NOTHING"""


def opening_parameters(data: ApplicationInput) -> list[object]:
    """The parameters $1-$10 of the statements that open an application ($1-$7 and $10 the row, $8-$9 its event)."""
    application = data.application
    first = Transition(state=ApplicationState.SUBMITTED, at=application.submitted_at)
    return [
        application.application_id,
        application.establishment_id,
        first.state.value,
        application.submitted_at,
        data.deadline.due_date,
        data.deadline.due_at,
        [first.model_dump(mode="json")],
        event_id(application.application_id, EventType.SUBMITTED),
        EventType.SUBMITTED.value,
        data.service_period.id,
    ]


async def open_application(conn: Connection, data: ApplicationInput) -> None:
    """Insert the row of a submitted application and its `submitted` event; a second call leaves both."""
    await conn.execute(
        f"""WITH opened AS (
               INSERT INTO applications {OPENED_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, $7, $10) {OPENED_RETURNING}
           )
           {SUBMITTED_EVENT}""",
        *opening_parameters(data),
    )


async def record_transition(
    conn: Connection,
    application_id: UUID,
    transition: Transition,
    *,
    iin: str | None = None,
    certificate_number: str | None = None,
) -> None:
    """Move the row to `transition.state`, appending the transition and what it brought, and write its event.

    The event holds the state, the reasons and the breach: no IIN or certificate number.
    """
    entered = EventType.entering(transition.state)
    await conn.execute(
        """WITH moved AS (
               UPDATE applications SET state = $2, transitions = transitions || $3::jsonb,
                      rejection_reasons = rejection_reasons || $4::text[],
                      iin = coalesce($5, iin), certificate_number = coalesce($6, certificate_number),
                      updated_at = now()
               WHERE application_id = $1
               RETURNING application_id, establishment_id, state, breached
           )
           INSERT INTO events (event_id, application_id, establishment_id, type, state, reasons, breached, at)
           SELECT $7, application_id, establishment_id, $8, state, $4::text[], breached, $9 FROM moved
           ON CONFLICT (event_id) DO NOTHING""",
        application_id,
        transition.state.value,
        [transition.model_dump(mode="json")],
        [reason.value for reason in transition.reasons],
        iin,
        certificate_number,
        event_id(application_id, entered),
        entered.value,
        transition.at,
    )


async def record_breach(conn: Connection, application_id: UUID, at: datetime) -> None:
    """Mark the deadline as breached at `at`, and write the `deadline_breached` event."""
    await conn.execute(
        """WITH marked AS (
               UPDATE applications SET breached = true, breached_at = $2, updated_at = now()
               WHERE application_id = $1
               RETURNING application_id, establishment_id, state, breached
           )
           INSERT INTO events (event_id, application_id, establishment_id, type, state, reasons, breached, at)
           SELECT $3, application_id, establishment_id, $4, state, '{}', breached, $2 FROM marked
           ON CONFLICT (event_id) DO NOTHING""",
        application_id,
        at,
        event_id(application_id, EventType.DEADLINE_BREACHED),
        EventType.DEADLINE_BREACHED.value,
    )


async def find_status(conn: Connection, application_id: UUID) -> ApplicationStatus | None:
    """The application's status as the projection holds it, with the findings of its decisions."""
    row = await conn.fetchrow(
        """SELECT a.*, c.sha256 AS certificate_sha256, n.number AS notice_number, n.sha256 AS notice_sha256
           FROM applications a
           LEFT JOIN certificates c ON c.number = a.certificate_number
           LEFT JOIN rejection_notices n ON n.application_id = a.application_id
           WHERE a.application_id = $1""",
        application_id,
    )
    if row is None:
        return None
    results = await conn.fetch(
        "SELECT step, result FROM decisions WHERE application_id = $1 ORDER BY decided_at", application_id
    )
    findings = [Finding.model_validate(f) for r in results for f in r["result"].get("findings", [])]
    withdrawal = next((r["result"] for r in results if r["step"] == Step.WITHDRAWAL.value), None)
    return ApplicationStatus(
        application_id=row["application_id"],
        establishment_id=row["establishment_id"],
        service_period_id=row["service_period_id"],
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
        rejection_notice_number=row["notice_number"],
        rejection_notice_sha256=row["notice_sha256"],
        withdrawal_reason=withdrawal["reason"] if withdrawal is not None else None,
    )


@dataclass(frozen=True)
class ApplicationFilter:
    """What a listing selects; None means any."""

    state: ApplicationState | None = None
    establishment_id: str | None = None
    submitted_from: datetime | None = None  # inclusive
    submitted_to: datetime | None = None  # exclusive
    breached: bool | None = None


@dataclass(frozen=True)
class PagePosition:
    """Where the previous page ended: listings run newest first, by (submitted_at, application_id)."""

    submitted_at: datetime
    application_id: UUID


async def list_applications(
    conn: Connection, scope: str | None, selected: ApplicationFilter, after: PagePosition | None, limit: int
) -> list[asyncpg.Record]:
    """A page of projection rows, newest first; `scope` confines it to one establishment (None: all)."""
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT application_id, establishment_id, state, submitted_at, due_date, deadline, breached, breached_at,
                  iin, rejection_reasons, certificate_number
           FROM applications
           WHERE ($1::text IS NULL OR establishment_id = $1)
             AND ($2::text IS NULL OR establishment_id = $2)
             AND ($3::text IS NULL OR state = $3)
             AND ($4::timestamptz IS NULL OR submitted_at >= $4)
             AND ($5::timestamptz IS NULL OR submitted_at < $5)
             AND ($6::boolean IS NULL OR breached = $6)
             AND ($7::timestamptz IS NULL OR (submitted_at, application_id) < ($7, $8::uuid))
           ORDER BY submitted_at DESC, application_id DESC
           LIMIT $9""",
        scope,
        selected.establishment_id,
        selected.state.value if selected.state is not None else None,
        selected.submitted_from,
        selected.submitted_to,
        selected.breached,
        after.submitted_at if after is not None else None,
        after.application_id if after is not None else None,
        limit,
    )
    return rows


async def establishment_of(conn: Connection, application_id: UUID) -> str | None:
    """The establishment an application belongs to, known from the API's receipt or the projection."""
    found: str | None = await conn.fetchval(
        """SELECT establishment_id FROM api_submissions WHERE application_id = $1
           UNION ALL SELECT establishment_id FROM applications WHERE application_id = $1 LIMIT 1""",
        application_id,
    )
    return found
