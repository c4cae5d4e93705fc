"""Forming the IIN: the registration of a new person in the national register."""

import asyncpg
from pydantic import BaseModel, ConfigDict
from temporalio import activity

from activities.checks import DuplicateDecision, check_in_register, duplicate_findings
from activities.transitions import close_step
from clock import SYSTEM_CLOCK, Clock
from db.decisions import decide_once
from db.pool import Connection
from iin_models.decisions import FormedIin, Step
from iin_models.national_register import Registrant
from register.matching import RegistryMatch
from register.port import NationalRegister
from rules.matching import Band, MatchBasis
from schemas.contract import ApplicationInput


class RegisterOutcome(BaseModel):
    """What one call to the register decided: the duplicate check, and the IIN if the check found no one."""

    model_config = ConfigDict(frozen=True)

    duplicates: DuplicateDecision
    formed: FormedIin | None = None


class IinActivities:
    def __init__(self, pool: asyncpg.Pool, register: NationalRegister, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._register = register
        self._clock = clock

    @activity.defn(name="check_and_form_iin")
    async def check_and_form_iin(self, data: ApplicationInput) -> RegisterOutcome:
        """Look for the foreigner in the national register and, if no one is found, form their IIN.

        One activity for what most applications need of the register: a workflow task and an activity
        task less on the server than `check_duplicates` then `form_iin`. A match, certain or probable,
        returns the check alone: a certain one rejects, a probable one waits for an officer, and the IIN
        is formed afterwards by `form_iin`. Each half is decided once, so a retry repeats neither.
        """
        duplicates = await check_in_register(self._pool, self._register, self._clock, data)
        if duplicates.findings or duplicates.for_review:
            return RegisterOutcome(duplicates=duplicates)
        return RegisterOutcome(duplicates=duplicates, formed=await self.form_iin(data))

    @activity.defn(name="form_iin")
    async def form_iin(self, data: ApplicationInput) -> FormedIin:
        """Have the register form a new IIN for the applicant, or learn that they already have one.

        The register forms under its own identity lock and refuses on a certain match (a twin
        application of the same person won the race); probable matches were for the duplicate check to
        send to review, and an officer may have cleared them. The application id is the register's
        idempotency key: a retry after a reply lost past the register's commit reads back the IIN
        formed then, never a second one.
        """
        application = data.application
        formation = await self._register.form(Registrant.of(application))
        now = self._clock.now()

        async def decide(conn: Connection) -> FormedIin:
            if formation.iin is None:
                findings = tuple(
                    duplicate_findings(
                        RegistryMatch(h.iin, Band.CERTAIN, MatchBasis(h.basis)) for h in formation.holders
                    )
                )
                await close_step(conn, application.application_id, Step.IIN, now, findings)
                return FormedIin(iin=None, findings=findings, decided_at=now)
            await close_step(conn, application.application_id, Step.IIN, now, iin=formation.iin)
            return FormedIin(iin=formation.iin, decided_at=now)

        return await decide_once(
            self._pool, application.application_id, Step.IIN, FormedIin, decide, decided_at=lambda r: r.decided_at
        )
