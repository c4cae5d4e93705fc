"""Forming the IIN: the registration of a new person in the national register of foreigners."""

import asyncpg
from temporalio import activity

from activities.checks import duplicate_findings
from activities.transitions import close_step
from clock import SYSTEM_CLOCK, Clock
from db import registry
from db.decisions import decide_once
from db.pool import Connection
from schemas.contract import ApplicationInput
from schemas.decisions import FormedIin, Step


class IinActivities:
    def __init__(self, pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock

    @activity.defn(name="form_iin")
    async def form_iin(self, data: ApplicationInput) -> FormedIin:
        """Form a new IIN for the applicant, or find at the last moment that they already have one.

        The duplicate search runs again under the identity lock, so two applications of one person
        racing at two establishments form one IIN between them, never two. Only a certain match
        refuses here: probable ones were for the duplicate check to send to review, and an officer
        may have cleared them. (Both certain bases, the document and citizenship + birth date, are
        what `lock_identity` serializes.)
        """
        application = data.application
        applicant = application.applicant

        async def decide(conn: Connection) -> FormedIin:
            await registry.lock_identity(conn, application)
            findings = tuple(duplicate_findings(await registry.find_matches(conn, application)))
            now = self._clock.now()
            if findings:
                await close_step(conn, application.application_id, Step.IIN, now, findings)
                return FormedIin(iin=None, findings=findings, decided_at=now)
            # SerialsExhausted is raised as it is, and retried on the step's schedule: the register's operator
            # must free or extend the prefix, and the application (open, its deadline watched) goes on then.
            iin = await registry.allocate_iin(conn, applicant.birth_date, applicant.sex)
            await registry.register_person(conn, iin, application)
            await close_step(conn, application.application_id, Step.IIN, now, iin=iin)
            return FormedIin(iin=iin, decided_at=now)

        return await decide_once(
            self._pool,
            application.application_id,
            Step.IIN,
            FormedIin,
            decide,
            decided_at=lambda r: r.decided_at,
        )
