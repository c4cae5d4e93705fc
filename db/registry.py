"""The IIN registry: people, their documents, and the allocation of new numbers.

Uniqueness is enforced by the database, not by care: an IIN is a primary key, an application forms
at most one IIN (unique application_id), a document belongs to at most one person.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from db.pool import Connection
from rules.iin import MAX_SERIAL, century_sex_digit, usable_serials
from rules.matching import (
    SIMILAR_NAME,
    Band,
    Candidate,
    MatchBasis,
    MatchProbe,
    classify,
    probe_for,
    registry_keys,
)
from rules.names import name_key
from schemas.application import Application
from schemas.enums import Sex


@dataclass(frozen=True)
class RegistryMatch:
    """A registered person the application matches, the band and the basis."""

    iin: str
    band: Band
    basis: MatchBasis


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


async def find_candidates(conn: Connection, probe: MatchProbe) -> list[Candidate]:
    """Registered people sharing the probe's document number, a name key, or a similar name."""
    candidates = [
        Candidate(
            iin=r["iin"],
            birth_date=r["birth_date"],
            citizenship=r["citizenship"],
            sex=r["sex"],
            same_document=r["issuing_state"] == probe.issuing_state,
            same_number_other_state=r["issuing_state"] != probe.issuing_state,
        )
        for r in await conn.fetch(DOCUMENT_QUERY, probe.number)
    ]
    all_keys = probe.keys.full | probe.keys.partial
    # Every key on the birth date; only the whole-name spellings on the dates one slip away, which
    # keeps the index probes few for Cyrillic names (up to 64 keys each).
    for dates, keys in (([probe.birth_date], all_keys), (probe.near_birth_dates, probe.spellings & all_keys)):
        for r in await conn.fetch(KEY_QUERY, sorted(dates), sorted(keys)):
            full = r["full_name"] and r["name_key"] in probe.keys.full
            candidates.append(
                Candidate(
                    iin=r["iin"],
                    birth_date=r["birth_date"],
                    citizenship=r["citizenship"],
                    sex=r["sex"],
                    full_key=full,
                    partial_key=not full,
                )
            )
    for r in await conn.fetch(SIMILAR_QUERY, sorted(probe.similar_name_dates), sorted(probe.spellings), SIMILAR_NAME):
        candidates.append(
            Candidate(
                iin=r["iin"],
                birth_date=r["birth_date"],
                citizenship=r["citizenship"],
                sex=r["sex"],
                similarity=r["similarity"],
                name_key=r["name_key"],
            )
        )
    return candidates


async def find_matches(conn: Connection, application: Application) -> list[RegistryMatch]:
    """Registered people the applicant is (certain band) or may be (probable band), certain first."""
    probe = probe_for(application)
    return [RegistryMatch(m.iin, m.band, m.basis) for m in classify(probe, await find_candidates(conn, probe))]


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


async def register_person(conn: Connection, iin: str, application: Application) -> None:
    """Record the person, their document and their name's match keys under `iin`."""
    applicant, document = application.applicant, application.document
    await conn.execute(
        """INSERT INTO people (iin, application_id, surname, given_names, patronymic, name_key, sex, birth_date,
             citizenship) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        iin,
        application.application_id,
        applicant.surname,
        applicant.given_names,
        applicant.patronymic,
        name_key(applicant.surname, applicant.given_names),
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
    keys = registry_keys(applicant.surname, applicant.given_names, applicant.patronymic)
    await conn.executemany(
        "INSERT INTO people_name_keys (birth_date, name_key, iin, full_name) VALUES ($1, $2, $3, $4)",
        [(applicant.birth_date, key, iin, True) for key in sorted(keys.full)]
        + [(applicant.birth_date, key, iin, False) for key in sorted(keys.partial)],
    )
