"""The IIN registry: people, their documents, and the allocation of new numbers.

Uniqueness is enforced by the database, not by care: an IIN is a primary key, an application forms
at most one IIN (unique application_id), a document belongs to at most one person.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from db.pool import Connection
from rules.iin import MAX_SERIAL, century_sex_digit, usable_serials
from schemas.application import Application
from schemas.enums import Sex


class MatchBasis(StrEnum):
    DOCUMENT = "document"
    IDENTITY = "identity"


@dataclass(frozen=True)
class RegistryMatch:
    """A registered person the application matches, and on what basis."""

    iin: str
    basis: MatchBasis


class SerialsExhausted(Exception):
    """Every usable serial of a birth date and sex is taken (10,000 per day and sex)."""


async def find_matches(conn: Connection, application: Application, name_key: str) -> list[RegistryMatch]:
    """Registered people with the application's document, or its citizenship, birth date and name."""
    applicant, document = application.applicant, application.document
    rows = await conn.fetch(
        """SELECT iin, 'document' AS basis FROM person_documents WHERE issuing_state = $1 AND number = $2
           UNION
           SELECT iin, 'identity' FROM people WHERE citizenship = $3 AND birth_date = $4 AND name_key = $5""",
        str(document.issuing_state),
        document.number,
        str(applicant.citizenship),
        applicant.birth_date,
        name_key,
    )
    return [RegistryMatch(r["iin"], MatchBasis(r["basis"])) for r in rows]


async def lock_identity(conn: Connection, application: Application) -> None:
    """Serialize, until the transaction ends, every registration that could be the same person.

    Two applications of one person (same document, or same citizenship and birth date) at two
    establishments at once take the same lock, so the second sees the first's registration.
    """
    applicant, document = application.applicant, application.document
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


async def register_person(conn: Connection, iin: str, application: Application, name_key: str) -> None:
    """Record the person and their document under `iin`."""
    applicant, document = application.applicant, application.document
    await conn.execute(
        """INSERT INTO people (iin, application_id, surname, given_names, name_key, sex, birth_date, citizenship)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
        iin,
        application.application_id,
        applicant.surname,
        applicant.given_names,
        name_key,
        applicant.sex.value,
        applicant.birth_date,
        str(applicant.citizenship),
    )
    await conn.execute(
        "INSERT INTO person_documents (issuing_state, number, iin) VALUES ($1, $2, $3)",
        str(document.issuing_state),
        document.number,
        iin,
    )
