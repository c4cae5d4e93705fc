"""The IIN registry: people, their documents, and the allocation of new numbers.

Uniqueness is enforced by the database, not by care: an IIN is a primary key, an application forms
at most one IIN (unique application_id), a document belongs to at most one person.
"""

import asyncio
from datetime import date
from uuid import UUID

from db.pool import Connection
from iin_models.enums import Sex
from iin_models.national_register import (
    DocumentHolder,
    NameKeyHolder,
    NameKeyQuery,
    Particulars,
    RegisteredDocument,
    RegisteredPerson,
    Registrant,
    SimilarNameHolder,
    SimilarNameQuery,
)
from register import matching
from register.matching import RegistryMatch as RegistryMatch  # the type find_matches returns
from rules.iin import MAX_SERIAL, century_sex_digit, usable_serials
from rules.matching import registry_keys
from rules.names import name_key


class SerialsExhausted(Exception):
    """Every usable serial of a birth date and sex is taken (10,000 per day and sex)."""


# Each query reads through an index (bench/duplicates.py prints their plans at 1,000,000 people).
DOCUMENT_QUERY = """SELECT d.iin, d.issuing_state, p.birth_date, p.citizenship, p.sex
   FROM person_documents d JOIN people p USING (iin) WHERE d.number = $1"""
KEY_QUERY = """SELECT k.iin, k.name_key, k.full_name, p.birth_date, p.citizenship, p.sex
   FROM people_name_keys k JOIN people p USING (iin)
   WHERE k.birth_date = ANY($1::date[]) AND k.name_key = ANY($2::text[])"""
SIMILAR_QUERY = """SELECT p.iin, p.birth_date, p.citizenship, p.sex, p.name_key, best.similarity
   FROM people p CROSS JOIN LATERAL (
     SELECT max(similarity(p.name_key, s)) AS similarity FROM unnest($2::text[]) s) best
   WHERE p.birth_date = ANY($1::date[]) AND best.similarity >= $3"""


class ConnectionLookups:
    """The register's lookups on one connection, e.g. inside the transaction of a formation.

    An asyncpg connection runs one query at a time: the lock lets the lookups be gathered anyway.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._one_at_a_time = asyncio.Lock()

    async def document_holders(self, number: str) -> list[DocumentHolder]:
        """Everyone holding a document with this number, under any issuing state."""
        async with self._one_at_a_time:
            return [DocumentHolder(**r) for r in await self._conn.fetch(DOCUMENT_QUERY, number)]

    async def name_key_holders(self, query: NameKeyQuery) -> list[NameKeyHolder]:
        """Everyone born on one of the dates with one of the name keys."""
        async with self._one_at_a_time:
            rows = await self._conn.fetch(KEY_QUERY, query.birth_dates, query.keys)
        return [NameKeyHolder(**r) for r in rows]

    async def similar_name_holders(self, query: SimilarNameQuery) -> list[SimilarNameHolder]:
        """Everyone born on one of the dates whose name is similar to one of the spellings."""
        async with self._one_at_a_time:
            rows = await self._conn.fetch(SIMILAR_QUERY, query.birth_dates, query.spellings, query.threshold)
        return [SimilarNameHolder(**r) for r in rows]


async def find_matches(conn: Connection, person: Particulars) -> list[RegistryMatch]:
    """Registered people the person is (certain band) or may be (probable band), certain first."""
    return await matching.find_matches(ConnectionLookups(conn), person)


async def lock_identity(conn: Connection, person: Particulars) -> None:
    """Serialize, until the transaction ends, every registration that could be the same person.

    Two applications of one person (same document, or same citizenship and birth date) at two
    establishments at once take the same lock, so the second sees the first's registration.
    """
    applicant, document = person.applicant, person.document
    keys = sorted(
        {
            f"doc/{document.issuing_state}/{document.number}",
            f"person/{applicant.citizenship}/{applicant.birth_date.isoformat()}",
        }
    )
    for key in keys:  # a fixed order, so two transactions never wait on each other crosswise
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))", key)


async def iin_of_application(conn: Connection, application_id: UUID) -> str | None:
    """The IIN this application formed, if any."""
    value: str | None = await conn.fetchval("SELECT iin FROM people WHERE application_id = $1", application_id)
    return value


async def allocate_iin(conn: Connection, birth_date: date, sex: Sex) -> str:
    """Take the next usable, unused IIN for the birth date and sex; call inside a transaction.

    The serial counter's row lock makes concurrent allocators for one prefix take turns; serials
    already used by people registered elsewhere are skipped.
    """
    prefix = f"{birth_date:%y%m%d}{century_sex_digit(birth_date, sex)}"
    await conn.execute(
        "INSERT INTO iin_serials (prefix, next_serial) VALUES ($1, 0) ON CONFLICT (prefix) DO NOTHING", prefix
    )
    start: int = await conn.fetchval("SELECT next_serial FROM iin_serials WHERE prefix = $1 FOR UPDATE", prefix)
    if start <= MAX_SERIAL:
        for serial, iin in usable_serials(birth_date, sex, start):
            if await conn.fetchval("SELECT 1 FROM people WHERE iin = $1", iin) is None:
                await conn.execute("UPDATE iin_serials SET next_serial = $2 WHERE prefix = $1", prefix, serial + 1)
                return iin
    raise SerialsExhausted(f"no usable IIN serial left for prefix {prefix}")


async def register_person(conn: Connection, iin: str, registrant: Registrant) -> None:
    """Record the person, their document and their name's match keys under `iin`."""
    applicant, document = registrant.applicant, registrant.document
    await conn.execute(
        """INSERT INTO people (iin, application_id, surname, given_names, patronymic, name_key, sex, birth_date,
             citizenship, native_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
        iin,
        registrant.application_id,
        applicant.surname,
        applicant.given_names,
        applicant.patronymic,
        name_key(applicant.surname, applicant.given_names),
        applicant.sex.value,
        applicant.birth_date,
        str(applicant.citizenship),
        applicant.native_name,
    )
    await conn.execute(
        """INSERT INTO person_documents (issuing_state, number, iin, kind, issued_on, expires_on)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        str(document.issuing_state),
        document.number,
        iin,
        document.kind.value,
        document.issued_on,
        document.expires_on,
    )
    keys = registry_keys(applicant.surname, applicant.given_names, applicant.patronymic)
    await conn.executemany(
        "INSERT INTO people_name_keys (birth_date, name_key, iin, full_name) VALUES ($1, $2, $3, $4)",
        [(applicant.birth_date, key, iin, True) for key in sorted(keys.full)]
        + [(applicant.birth_date, key, iin, False) for key in sorted(keys.partial)],
    )


PERSON_QUERY = """
    SELECT p.iin, p.surname, p.given_names, p.patronymic, p.native_name, p.sex, p.birth_date, p.citizenship,
           p.registered_at AS formed_at, p.application_id,
           coalesce(a.establishment_id, 'register-extract:' || i.file_name) AS formed_through
      FROM people p
      LEFT JOIN applications a ON a.application_id = p.application_id
      LEFT JOIN register_imports i ON i.id = p.import_id
     WHERE p.iin = $1"""
PERSON_DOCUMENTS = """SELECT issuing_state, number, kind, issued_on, expires_on FROM person_documents
    WHERE iin = $1 ORDER BY issued_on NULLS FIRST, issuing_state, number"""


async def registered_person(conn: Connection, iin: str) -> RegisteredPerson | None:
    """The person registered under `iin`, with every document the register holds for them."""
    row = await conn.fetchrow(PERSON_QUERY, iin)
    if row is None:
        return None
    documents = tuple(RegisteredDocument(**dict(d)) for d in await conn.fetch(PERSON_DOCUMENTS, iin))
    return RegisteredPerson(**dict(row), documents=documents)
