"""The register kept in PostgreSQL (db/registry.py): the local stack's, the tests', and the simulator's store."""

from uuid import UUID

import asyncpg

from db import registry
from iin_models.national_register import (
    DocumentHolder,
    Formation,
    Holder,
    NameKeyHolder,
    NameKeyQuery,
    RegisteredPerson,
    Registrant,
    SimilarNameHolder,
    SimilarNameQuery,
)
from register.matching import find_matches
from rules.matching import Band


class EmbeddedRegister:
    """The national register as tables of the service's own database (or of the simulator's)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def document_holders(self, number: str) -> list[DocumentHolder]:
        """Everyone holding a document with this number, under any issuing state."""
        async with self._pool.acquire() as conn:
            return await registry.ConnectionLookups(conn).document_holders(number)

    async def name_key_holders(self, query: NameKeyQuery) -> list[NameKeyHolder]:
        """Everyone born on one of the dates with one of the name keys."""
        async with self._pool.acquire() as conn:
            return await registry.ConnectionLookups(conn).name_key_holders(query)

    async def similar_name_holders(self, query: SimilarNameQuery) -> list[SimilarNameHolder]:
        """Everyone born on one of the dates whose name is similar to one of the spellings."""
        async with self._pool.acquire() as conn:
            return await registry.ConnectionLookups(conn).similar_name_holders(query)

    async def form(self, registrant: Registrant) -> Formation:
        """Form an IIN under the identity lock, unless one was formed for the application already.

        Under the lock the search runs again, so two applications of one person racing at two
        establishments form one IIN between them. Only a certain match refuses: probable ones were for
        the duplicate check to send to review, and an officer may have cleared them.
        """
        application_id = registrant.application_id
        async with self._pool.acquire() as conn, conn.transaction():
            await registry.lock_identity(conn, registrant)
            formed = await registry.iin_of_application(conn, application_id)
            if formed is not None:
                return Formation(application_id=application_id, iin=formed)
            matches = await find_matches(registry.ConnectionLookups(conn), registrant)
            holders = tuple(Holder(iin=m.iin, basis=m.basis.value) for m in matches if m.band is Band.CERTAIN)
            if holders:
                return Formation(application_id=application_id, holders=holders)
            # SerialsExhausted is raised as it is: the register's operator must free or extend the prefix.
            iin = await registry.allocate_iin(conn, registrant.applicant.birth_date, registrant.applicant.sex)
            await registry.register_person(conn, iin, registrant)
            return Formation(application_id=application_id, iin=iin)

    async def formed_for(self, application_id: UUID) -> str | None:
        """The IIN formed for this application, if any."""
        async with self._pool.acquire() as conn:
            return await registry.iin_of_application(conn, application_id)

    async def person(self, iin: str) -> RegisteredPerson | None:
        """The person registered under `iin` with their documents, or None."""
        async with self._pool.acquire() as conn:
            return await registry.registered_person(conn, iin)

    async def aclose(self) -> None:
        """Nothing to release: the pool belongs to whoever made it."""
