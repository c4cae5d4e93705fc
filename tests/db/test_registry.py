"""The registry's writes: what a person the service registers is recorded with."""

import asyncpg

from db.registry import register_person
from iin_models.national_register import Registrant
from tests.db.register_rows import new_iin
from tests.factories import make_applicant, make_application


async def test_a_person_the_service_registers_keeps_their_patronymic(pool: asyncpg.Pool) -> None:
    application = make_application(applicant=make_applicant(patronymic="Petrovich", citizenship="RU"))
    iin = new_iin(application.applicant.birth_date, application.applicant.sex)

    async with pool.acquire() as conn:
        await register_person(conn, iin, Registrant.of(application))
        patronymic = await conn.fetchval("SELECT patronymic FROM people WHERE iin = $1", iin)

    assert patronymic == "Petrovich"
