"""The report over applications run through the real stack (API, worker, workflows, projection): its row
for the day's establishment and month is what the projection's rows give when counted again here."""

from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from clock import SYSTEM_CLOCK
from db.pool import Connection
from iin_models.enums import ApplicationState, RejectionReason
from iin_models.status import Transition
from report.build import build_report
from report.options import Period
from tests.factories import make_application
from tests.toolkit.api import ANKARA, Keys, final_status


async def _local_rows(conn: Connection, zone: ZoneInfo, month: date) -> list[asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM applications WHERE establishment_id = $1", ANKARA)
    return [r for r in rows if r["submitted_at"].astimezone(zone).date().replace(day=1) == month]


def _certified_at(row: asyncpg.Record) -> datetime | None:
    moves = [Transition.model_validate(t) for t in row["transitions"]]
    return next((t.at for t in moves if t.state is ApplicationState.CERTIFICATE_ISSUED), None)


async def test_a_certificate_and_a_refusal_run_through_the_stack_are_counted_as_the_projection_holds_them(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    issued = await final_status(http, make_application(), keys.ankara)
    refused = await final_status(http, make_application(original_compared=False), keys.ankara)
    async with pool.acquire() as conn:
        zone = ZoneInfo(await conn.fetchval("SELECT time_zone FROM establishments WHERE id = $1", ANKARA))
        day = issued.submitted_at.astimezone(zone).date()
        month = day.replace(day=1)
        # One snapshot for the report and the rows it is checked against: other tests' workflows go on.
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            report = await build_report(conn, Period(month, day), ANKARA, SYSTEM_CLOCK)
            rows = await _local_rows(conn, zone, month)
    (got,) = report.rows
    certified = {r["application_id"]: at for r in rows if (at := _certified_at(r)) is not None}
    rejected = [r for r in rows if r["state"] == ApplicationState.REJECTED]
    on_time = [r for r in rows if r["application_id"] in certified and certified[r["application_id"]] <= r["deadline"]]
    to_certificate = [
        (certified[r["application_id"]] - r["submitted_at"]).total_seconds()
        for r in rows
        if r["application_id"] in certified
    ]

    assert issued.state is ApplicationState.CERTIFICATE_ISSUED and refused.state is ApplicationState.REJECTED
    assert {issued.application_id, refused.application_id} <= {r["application_id"] for r in rows}
    assert (got.month, got.applications, got.certificates, got.rejected) == (
        month,
        len(rows),
        len(certified),
        len(rejected),
    )
    assert got.rejections[RejectionReason.DOCUMENTS_UNRELIABLE] == sum(
        RejectionReason.DOCUMENTS_UNRELIABLE in r["rejection_reasons"] for r in rejected
    )
    assert got.formed_within_term == len(on_time)
    assert got.breaches == sum(r["breached"] for r in rows)
    assert got.seconds_to_certificate_median is not None
    assert abs(got.seconds_to_certificate_median - median(to_certificate)) < 1e-6
