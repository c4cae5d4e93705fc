"""Reference data: establishments, their closures, service periods, applicant categories, conventions,
corrections of Kazakhstan's calendar.

Loaded idempotently from the CSV files in data/: the files are the truth, so a row removed from a
file is removed from the table. Rows whose id starts with `local-` are a local deployment's own
additions (see `open_local_window`) and survive reloads.
"""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import asyncpg

from db.calendar import CORRECTIONS_FILE, parse_corrections, replace_corrections
from db.pool import Connection
from iin_models.enums import Convention, EstablishmentKind
from rules.conventions import Membership
from schemas.establishment import AgeRule, ApplicantCategory, Establishment, ServicePeriod

LOCAL_PREFIX = "local-"
LOCAL_WINDOW = f"{LOCAL_PREFIX}window"
ALL_CATEGORIES = "all"  # service_periods.csv: every foreigner may apply


@dataclass(frozen=True)
class LoadReport:
    establishments: int
    closures: int
    service_periods: int
    memberships: int
    categories: int = 0
    calendar_corrections: int = 0


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _plus_list(text: str) -> list[str]:
    return text.split("+") if text else []


def parse_age_rule(text: str) -> AgeRule | None:
    """`at_least:65` or `under:16` (full years on the submission day); empty: no age rule."""
    if not text:
        return None
    bound, _, years = text.partition(":")
    if bound not in ("at_least", "under"):
        raise ValueError(f"age rule {text!r}: expected at_least:N or under:N")
    return AgeRule.model_validate({bound: int(years)})


def _age_bounds(rule: AgeRule | None) -> tuple[int | None, int | None]:
    return (None, None) if rule is None else (rule.at_least, rule.under)


def parse_period_categories(text: str, known: set[str]) -> list[str] | None:
    """`all` -> None (every foreigner); otherwise the `+`-joined codes, each of which must be known."""
    if text == ALL_CATEGORIES:
        return None
    codes = _plus_list(text)
    unknown = [code for code in codes if code not in known]
    if not codes or unknown:
        raise ValueError(f"period categories {text!r}: expected 'all' or known codes; unknown: {unknown}")
    return codes


async def load_reference_data(pool: asyncpg.Pool, data_dir: Path) -> LoadReport:
    """Make the reference tables equal to the CSV files in `data_dir`, in one transaction."""
    establishments = _rows(data_dir / "establishments.csv")
    closures = _rows(data_dir / "establishment_closures.csv")
    periods = _rows(data_dir / "service_periods.csv")
    categories = _rows(data_dir / "applicant_categories.csv")
    memberships = _rows(data_dir / "conventions.csv")
    known = {r["code"] for r in categories}
    # Parsed before the transaction: a bad file changes nothing.
    period_categories = {r["id"]: parse_period_categories(r["categories"], known) for r in periods}
    age_rules = {r["code"]: parse_age_rule(r["age_rule"]) for r in categories}
    corrections = parse_corrections(data_dir / CORRECTIONS_FILE)
    async with pool.acquire() as conn, conn.transaction():
        await conn.executemany(
            """INSERT INTO establishments (id, kind, city, country, time_zone, rest_days, source)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, city = EXCLUDED.city,
                 country = EXCLUDED.country, time_zone = EXCLUDED.time_zone,
                 rest_days = EXCLUDED.rest_days, source = EXCLUDED.source""",
            [
                (
                    r["id"],
                    EstablishmentKind(r["kind"]).value,
                    r["city"],
                    r["country"],
                    r["timezone"],
                    [int(d) for d in r["rest_days"].split("+")],
                    r.get("source", ""),
                )
                for r in establishments
            ],
        )
        await conn.execute("DELETE FROM establishment_closures")
        await conn.executemany(
            "INSERT INTO establishment_closures (establishment_id, closed_on, note) VALUES ($1, $2, $3)",
            [(r["establishment_id"], date.fromisoformat(r["closed_on"]), r.get("note", "")) for r in closures],
        )
        await conn.execute(
            "DELETE FROM establishments WHERE NOT (id = ANY($1::text[]))", [r["id"] for r in establishments]
        )
        await conn.executemany(
            """INSERT INTO applicant_categories (code, title_en, title_ru, supporting_documents, documents_note,
                 age_at_least, age_under, source)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (code) DO UPDATE SET title_en = EXCLUDED.title_en, title_ru = EXCLUDED.title_ru,
                 supporting_documents = EXCLUDED.supporting_documents, documents_note = EXCLUDED.documents_note,
                 age_at_least = EXCLUDED.age_at_least, age_under = EXCLUDED.age_under, source = EXCLUDED.source""",
            [
                (
                    r["code"],
                    r["title_en"],
                    r["title_ru"],
                    _plus_list(r["supporting_documents"]),
                    r.get("documents_note", ""),
                    *_age_bounds(age_rules[r["code"]]),
                    r.get("source", ""),
                )
                for r in categories
            ],
        )
        await conn.execute("DELETE FROM applicant_categories WHERE NOT (code = ANY($1::text[]))", sorted(known))
        await conn.execute(
            "DELETE FROM service_periods WHERE NOT starts_with(id, $1) AND NOT (id = ANY($2::text[]))",
            LOCAL_PREFIX,
            [r["id"] for r in periods],
        )
        await conn.executemany(
            """INSERT INTO service_periods (id, starts_on, ends_on, establishment_ids, categories, source)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (id) DO UPDATE SET starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
                 establishment_ids = EXCLUDED.establishment_ids, categories = EXCLUDED.categories,
                 source = EXCLUDED.source""",
            [
                (
                    r["id"],
                    date.fromisoformat(r["starts_on"]),
                    _optional_date(r["ends_on"]),
                    _plus_list(r["establishment_ids"]) or None,
                    period_categories[r["id"]],
                    r.get("source", ""),
                )
                for r in periods
            ],
        )
        await conn.execute("DELETE FROM convention_memberships")
        await conn.executemany(
            """INSERT INTO convention_memberships (convention, state, in_force_from, in_force_to, source)
               VALUES ($1, $2, $3, $4, $5)""",
            [
                (
                    Convention(r["convention"]).value,
                    r["state"],
                    date.fromisoformat(r["in_force_from"]),
                    _optional_date(r["in_force_to"]),
                    r.get("source", ""),
                )
                for r in memberships
            ],
        )
        await replace_corrections(conn, corrections)
    return LoadReport(
        len(establishments), len(closures), len(periods), len(memberships), len(categories), len(corrections)
    )


async def open_local_window(pool: asyncpg.Pool) -> ServicePeriod | None:
    """Open the local stack's own service period: from the day after the last shipped period, with no end.

    For a local stack or a test run whose clock is past every shipped period. Open-ended, so it covers
    the local date at every establishment (from UTC-12 to UTC+14) for as long as the stack runs,
    across midnight and the year's end, with no renewal; returns None when a shipped period has no
    end itself. The period is data like any other and is listed as `local-window`; it admits every
    foreigner (categories NULL), so that local demos need no category.
    """
    async with pool.acquire() as conn, conn.transaction():
        shipped = await conn.fetch("SELECT ends_on FROM service_periods WHERE NOT starts_with(id, $1)", LOCAL_PREFIX)
        await conn.execute("DELETE FROM service_periods WHERE starts_with(id, $1)", LOCAL_PREFIX)
        ends = [row["ends_on"] for row in shipped]
        if None in ends:
            return None
        starts_on = max(ends) + timedelta(days=1) if ends else date.min
        period = ServicePeriod(id=LOCAL_WINDOW, starts_on=starts_on, ends_on=None)
        await conn.execute(
            """INSERT INTO service_periods (id, starts_on, ends_on, establishment_ids, categories, source)
               VALUES ($1, $2, NULL, NULL, NULL, 'local stack: open until further notice')""",
            period.id,
            period.starts_on,
        )
        return period


async def find_establishment(conn: Connection, establishment_id: str) -> Establishment | None:
    """The establishment with its closure dates, or None if it is not in the reference data."""
    row = await conn.fetchrow(
        """SELECT e.*, coalesce(array_agg(c.closed_on) FILTER (WHERE c.closed_on IS NOT NULL), '{}') AS closures
           FROM establishments e LEFT JOIN establishment_closures c ON c.establishment_id = e.id
           WHERE e.id = $1 GROUP BY e.id""",
        establishment_id,
    )
    if row is None:
        return None
    return Establishment(
        id=row["id"],
        kind=EstablishmentKind(row["kind"]),
        city=row["city"],
        country=row["country"],
        time_zone=row["time_zone"],
        rest_days=frozenset(row["rest_days"]),
        closures=frozenset(row["closures"]),
    )


async def find_service_period(conn: Connection, establishment_id: str, day: date) -> ServicePeriod | None:
    """The period covering `day` at the establishment, with its categories; the latest-starting if several."""
    row = await conn.fetchrow(
        f"""{_PERIODS} WHERE starts_on <= $2 AND ($2 <= ends_on OR ends_on IS NULL)
              AND (establishment_ids IS NULL OR $1 = ANY(establishment_ids))
            ORDER BY starts_on DESC, id LIMIT 1""",
        establishment_id,
        day,
    )
    return None if row is None else await _period(conn, row)


async def service_periods(conn: Connection, on: date | None = None) -> list[ServicePeriod]:
    """Every service period (or those covering `on` at some establishment), earliest first."""
    rows = await conn.fetch(
        f"""{_PERIODS} WHERE $1::date IS NULL OR (starts_on <= $1 AND ($1 <= ends_on OR ends_on IS NULL))
            ORDER BY starts_on, id""",
        on,
    )
    return [await _period(conn, row) for row in rows]


_PERIODS = "SELECT id, starts_on, ends_on, establishment_ids, categories, source FROM service_periods"


async def _period(conn: Connection, row: asyncpg.Record) -> ServicePeriod:
    ids = row["establishment_ids"]
    codes: list[str] | None = row["categories"]
    categories = None
    if codes is not None:
        found = {
            r["code"]: ApplicantCategory(
                code=r["code"],
                title_en=r["title_en"],
                title_ru=r["title_ru"],
                supporting_documents=tuple(r["supporting_documents"]),
                documents_note=r["documents_note"],
                age_rule=AgeRule(at_least=r["age_at_least"], under=r["age_under"])
                if r["age_at_least"] is not None or r["age_under"] is not None
                else None,
            )
            for r in await conn.fetch("SELECT * FROM applicant_categories WHERE code = ANY($1::text[])", codes)
        }
        missing = [code for code in codes if code not in found]
        if missing:  # never narrow a period silently: the loader refuses this, a hand edit may not
            raise LookupError(f"service period {row['id']} names unknown applicant categories {missing}")
        categories = tuple(found[code] for code in codes)
    return ServicePeriod(
        id=row["id"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        establishment_ids=frozenset(ids) if ids is not None else None,
        categories=categories,
        source=row["source"],
    )


async def memberships_of(conn: Connection, state: str) -> list[Membership]:
    """Every recorded convention membership of `state`, whatever its dates."""
    rows = await conn.fetch(
        "SELECT convention, state, in_force_from, in_force_to FROM convention_memberships WHERE state = $1",
        state,
    )
    return [Membership(Convention(r["convention"]), r["state"], r["in_force_from"], r["in_force_to"]) for r in rows]
