"""Reference data: establishments, their closures, service periods and convention memberships.

Loaded idempotently from the CSV files in data/: the files are the truth, so a row removed from a
file is removed from the table. Rows whose id starts with `local-` are a local deployment's own
additions (see `extend_service_window`) and survive reloads.
"""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import asyncpg

from db.pool import Connection
from rules.conventions import Membership
from schemas.enums import Convention, EstablishmentKind
from schemas.establishment import Establishment, ServicePeriod

LOCAL_PREFIX = "local-"


@dataclass(frozen=True)
class LoadReport:
    establishments: int
    closures: int
    service_periods: int
    memberships: int


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


async def load_reference_data(pool: asyncpg.Pool, data_dir: Path) -> LoadReport:
    """Make the reference tables equal to the CSV files in `data_dir`, in one transaction."""
    establishments = _rows(data_dir / "establishments.csv")
    closures = _rows(data_dir / "establishment_closures.csv")
    periods = _rows(data_dir / "service_periods.csv")
    memberships = _rows(data_dir / "conventions.csv")
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
        await conn.execute(
            "DELETE FROM service_periods WHERE NOT starts_with(id, $1) AND NOT (id = ANY($2::text[]))",
            LOCAL_PREFIX,
            [r["id"] for r in periods],
        )
        await conn.executemany(
            """INSERT INTO service_periods (id, starts_on, ends_on, establishment_ids, source)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (id) DO UPDATE SET starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
                 establishment_ids = EXCLUDED.establishment_ids, source = EXCLUDED.source""",
            [
                (
                    r["id"],
                    date.fromisoformat(r["starts_on"]),
                    date.fromisoformat(r["ends_on"]),
                    r["establishment_ids"].split("+") if r["establishment_ids"] else None,
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
    return LoadReport(len(establishments), len(closures), len(periods), len(memberships))


async def extend_service_window(pool: asyncpg.Pool, through: date) -> ServicePeriod | None:
    """Add a local period from the day after the last shipped period through `through`.

    For a local stack whose clock is past every shipped period; returns None when no extension is
    needed. The period is data like any other and is listed as `local-extension`.
    """
    async with pool.acquire() as conn:
        last_end = await conn.fetchval(
            "SELECT max(ends_on) FROM service_periods WHERE NOT starts_with(id, $1)", LOCAL_PREFIX
        )
        if last_end is None or last_end >= through:
            await conn.execute("DELETE FROM service_periods WHERE id = $1", f"{LOCAL_PREFIX}extension")
            return None
        period = ServicePeriod(id=f"{LOCAL_PREFIX}extension", starts_on=last_end + timedelta(days=1), ends_on=through)
        await conn.execute(
            """INSERT INTO service_periods (id, starts_on, ends_on, establishment_ids, source)
               VALUES ($1, $2, $3, NULL, 'local stack: window extended to today')
               ON CONFLICT (id) DO UPDATE SET starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on""",
            period.id,
            period.starts_on,
            period.ends_on,
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
    """The period covering `day` at the establishment; the latest-starting one if several overlap."""
    row = await conn.fetchrow(
        """SELECT id, starts_on, ends_on, establishment_ids FROM service_periods
           WHERE starts_on <= $2 AND $2 <= ends_on
             AND (establishment_ids IS NULL OR $1 = ANY(establishment_ids))
           ORDER BY starts_on DESC, id LIMIT 1""",
        establishment_id,
        day,
    )
    if row is None:
        return None
    ids = row["establishment_ids"]
    return ServicePeriod(
        id=row["id"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        establishment_ids=frozenset(ids) if ids is not None else None,
    )


async def memberships_of(conn: Connection, state: str) -> list[Membership]:
    """Every recorded convention membership of `state`, whatever its dates."""
    rows = await conn.fetch(
        "SELECT convention, state, in_force_from, in_force_to FROM convention_memberships WHERE state = $1",
        state,
    )
    return [Membership(Convention(r["convention"]), r["state"], r["in_force_from"], r["in_force_to"]) for r in rows]
