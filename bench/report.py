"""Measure `iin report`: how long the figures of a month take at every establishment and at one, by size.

    .venv/bin/python -m bench.report --applications 100000 1000000

Fills a fresh, migrated database (on DATABASE_URL's server, or an embedded PostgreSQL) with synthetic
projection rows spread over the 82 establishments and one year (generated in SQL, not timed), up to each
size in turn, then times the report's query (`db.service_report.monthly_figures`) five times for one
month at every establishment, one month at one establishment and the whole year, and renders the page
and the CSV of the month once. Prints the figures and writes them to bench/results/report-<time>.json.
Figures, not a pass or a fail.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from datetime import UTC, date, datetime

import asyncpg

from bench.duplicates import bench_database
from bench.output import machine, save_figures
from clock import FixedClock
from config.settings import REPO_ROOT
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data
from db.service_report import ReportScope, monthly_figures
from report.build import build_report
from report.csv_file import report_csv
from report.html_page import report_html
from report.options import Period

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
AS_OF = datetime(2027, 1, 15, tzinfo=UTC)
RUNS = 5

# Outcomes roughly as the pilot's: most certified within a day or two, some refused, withdrawn or in review.
FILL = """
WITH est AS (SELECT array_agg(id ORDER BY id) AS ids FROM establishments),
gen AS (
    SELECT est.ids[1 + g % array_length(est.ids, 1)] AS establishment_id,
           $2::timestamptz + random() * interval '365 days' AS at,
           random() AS outcome, random() * interval '40 hours' AS took
      FROM generate_series(1, $1::int) g, est
),
shaped AS (
    SELECT establishment_id, at, took,
           CASE WHEN outcome < 0.70 THEN 'certificate_issued' WHEN outcome < 0.85 THEN 'rejected'
                WHEN outcome < 0.95 THEN 'withdrawn' ELSE 'awaiting_review' END AS state
      FROM gen
)
INSERT INTO applications (application_id, establishment_id, state, submitted_at, due_date, deadline, breached,
                          rejection_reasons, transitions)
SELECT gen_random_uuid(), establishment_id, state, at, (at + interval '30 hours')::date, at + interval '30 hours',
       state <> 'awaiting_review' AND took > interval '30 hours',
       CASE WHEN state = 'rejected' THEN ARRAY['requirements_not_met'] ELSE '{}' END,
       jsonb_build_array(
           jsonb_build_object('state', 'submitted', 'at', at, 'reasons', '[]'::jsonb),
           jsonb_build_object('state', 'documents_verified', 'at', at + interval '1 second', 'reasons', '[]'::jsonb),
           CASE WHEN state = 'awaiting_review'
                THEN jsonb_build_object('state', state, 'at', at + interval '2 seconds', 'reasons', '[]'::jsonb)
                ELSE jsonb_build_object('state', state, 'at', at + took, 'reasons', '[]'::jsonb) END
       )
  FROM shaped"""


async def _timed(pool: asyncpg.Pool, scope: ReportScope) -> tuple[list[float], int]:
    seconds, rows = [], 0
    async with pool.acquire() as conn:
        for _ in range(RUNS):
            started = time.perf_counter()
            rows = len(await monthly_figures(conn, scope))
            seconds.append(time.perf_counter() - started)
    return seconds, rows


async def _measure(pool: asyncpg.Pool, size: int) -> dict[str, object]:
    november = ReportScope(date(2026, 11, 1), date(2026, 11, 30), None, AS_OF)
    scopes = {
        "month_every_establishment": november,
        "month_one_establishment": ReportScope(november.first_day, november.last_day, "emb-tr-ankara", AS_OF),
        "year_every_establishment": ReportScope(date(2026, 1, 1), date(2026, 12, 31), None, AS_OF),
    }
    figures: dict[str, object] = {"applications": size}
    for name, scope in scopes.items():
        seconds, rows = await _timed(pool, scope)
        figures[f"{name}_rows"] = rows
        figures[f"{name}_ms_median"] = round(1000 * statistics.median(seconds), 1)
        figures[f"{name}_ms_each"] = [round(1000 * s, 1) for s in seconds]
    async with pool.acquire() as conn:
        started = time.perf_counter()
        report = await build_report(conn, Period(date(2026, 11, 1), date(2026, 11, 30)), None, FixedClock(AS_OF))
        page, table = report_html(report), report_csv(report)
        figures["month_report_and_render_ms"] = round(1000 * (time.perf_counter() - started), 1)
    figures["month_page_bytes"] = len(page.encode())
    figures["month_csv_bytes"] = len(table.encode())
    return figures


async def run(sizes: list[int]) -> list[dict[str, object]]:
    results = []
    async with bench_database() as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=2)
        try:
            await migrate(pool)
            await load_reference_data(pool, REPO_ROOT / "data")
            filled = 0
            for size in sorted(sizes):
                started = time.perf_counter()
                async with pool.acquire() as conn:
                    # The fill is one statement of minutes at a million: past the pool's 20 s guard.
                    await conn.execute("SET statement_timeout = 0")
                    await conn.execute("SELECT setseed(0.2026)")
                    await conn.execute(FILL, size - filled, YEAR_START)
                    await conn.execute("VACUUM ANALYZE applications")
                print(f"filled to {size:,} rows in {time.perf_counter() - started:.0f} s")
                filled = size
                results.append(await _measure(pool, size))
                print(json.dumps(results[-1]))
        finally:
            await pool.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    results = asyncio.run(run(args.applications))
    measured_on = {
        **machine(),
        "load_1min": os.getloadavg()[0],
        "python": platform.python_version(),
        "database": "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded",
    }
    print(f"written to {save_figures('report', {'machine': measured_on, 'results': results})}")


if __name__ == "__main__":
    main()
