"""The report's figures against the seeded quarter: every number the SQL gives is computed again here in
Python from the seeded values (tests/report/seed.py), per establishment and local month.

The seed goes in through `pool` (the owner); the report reads through `service_pool`, as a role in
`iin_service` (what `docker compose run worker report` logs in as), so these tests also show its rights suffice."""

from datetime import date

import asyncpg
import pytest

from clock import FixedClock
from report.build import build_report
from report.model import MonthFigures, ServiceReport
from report.options import Period, ReportOptionError
from tests.report.seed import AS_OF, ZONES, Expected, expected_figures, percentile_cont, seed


@pytest.fixture
def pools(pool: asyncpg.Pool, service_pool: asyncpg.Pool) -> tuple[asyncpg.Pool, asyncpg.Pool]:
    """The owner's pool, which seeds, and the service role's, which reads the report."""
    return pool, service_pool


QUARTER = Period(date(2025, 1, 1), date(2025, 3, 31))
FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))


async def _report(service_pool: asyncpg.Pool, period: Period, establishment_id: str | None = None) -> ServiceReport:
    async with service_pool.acquire() as conn:
        return await build_report(conn, period, establishment_id, FixedClock(AS_OF))


async def _compared(
    pools: tuple[asyncpg.Pool, asyncpg.Pool], period: Period, establishment_id: str | None = None
) -> list[tuple[MonthFigures, Expected]]:
    """The seeded establishments' rows of the report beside the figures computed from the seed."""
    owner, service = pools
    seeded = await seed(owner)
    report = await _report(service, period, establishment_id)
    expected = expected_figures(seeded, period.first_day, period.last_day, establishment_id)
    rows = {(r.establishment_id, f"{r.month:%Y-%m}"): r for r in report.rows if r.establishment_id in ZONES}
    assert rows.keys() == expected.keys()
    return [(rows[key], expected[key]) for key in sorted(expected)]


async def test_counts_per_establishment_and_month_are_those_seeded(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    for got, want in await _compared(pools, QUARTER):
        assert (got.applications, got.certificates, got.rejected, got.withdrawn, got.open) == (
            want.applications,
            want.certificates,
            want.rejected,
            want.withdrawn,
            want.open,
        )


async def test_the_quarter_has_a_row_per_establishment_and_month(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    keys = [(figures.establishment_id, f"{figures.month:%Y-%m}") for figures, _ in await _compared(pools, QUARTER)]

    assert keys == [(e, m) for e in sorted(ZONES) for m in ("2025-01", "2025-02", "2025-03")]


async def test_rejections_are_counted_under_each_reason(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    compared = await _compared(pools, QUARTER)

    for got, want in compared:
        assert got.rejections == want.rejections
    assert any(sum(got.rejections.values()) > got.rejected for got, _ in compared)  # two grounds in one refusal


async def test_the_share_within_the_term_and_the_breaches_are_those_seeded(
    pools: tuple[asyncpg.Pool, asyncpg.Pool],
) -> None:
    for got, want in await _compared(pools, QUARTER):
        assert got.formed_within_term == want.formed_within_term
        assert got.within_term_share == pytest.approx(want.formed_within_term / want.certificates)
        assert got.breaches == want.breaches


async def test_median_and_p95_time_to_certificate_are_those_of_the_seed(
    pools: tuple[asyncpg.Pool, asyncpg.Pool],
) -> None:
    for got, want in await _compared(pools, QUARTER):
        assert got.seconds_to_certificate_median == pytest.approx(percentile_cont(want.to_certificate, 0.5))
        assert got.seconds_to_certificate_p95 == pytest.approx(percentile_cont(want.to_certificate, 0.95))


async def test_the_review_figures_are_those_of_the_seed(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    for got, want in await _compared(pools, QUARTER):
        assert (got.reviews, got.awaiting_review) == (want.reviews, want.awaiting_review)
        assert got.seconds_in_review_median == pytest.approx(percentile_cont(want.in_review, 0.5))
        assert got.seconds_in_review_p95 == pytest.approx(percentile_cont(want.in_review, 0.95))
        assert got.seconds_awaiting_review_oldest == pytest.approx(max(want.awaiting, default=None))


async def test_the_establishment_filter_keeps_that_establishment_alone(
    pools: tuple[asyncpg.Pool, asyncpg.Pool],
) -> None:
    compared = await _compared(pools, QUARTER, "emb-br-brasilia")
    report = await _report(pools[1], QUARTER, "emb-br-brasilia")

    assert {r.establishment_id for r in report.rows} == {"emb-br-brasilia"}
    assert [(r.applications, r.certificates) for r in report.rows] == [
        (want.applications, want.certificates) for _, want in compared
    ]


async def test_a_month_is_counted_in_the_establishments_own_time_zone(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    seeded = await seed(pools[0])
    report = await _report(pools[1], FEBRUARY)
    in_utc_february = {e: sum(s.establishment_id == e and s.submitted_at.month == 2 for s in seeded) for e in ZONES}
    counted = {r.establishment_id: r.applications for r in report.rows if r.establishment_id in ZONES}

    assert counted == {e: sum(s.establishment_id == e and s.local_day.month == 2 for s in seeded) for e in ZONES}
    assert counted != in_utc_february  # the seed's applications near midnight tell the two apart


async def test_local_days_outside_the_period_are_left_out(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    period = Period(date(2025, 2, 10), date(2025, 2, 20))

    for got, want in await _compared(pools, period):
        assert got.applications == want.applications < 40


async def test_a_period_without_applications_has_no_rows(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    report = await _report(pools[1], Period(date(2001, 1, 1), date(2001, 12, 31)), "emb-jp-tokyo")

    assert report.rows == []


async def test_an_unknown_establishment_is_refused_naming_the_option(pools: tuple[asyncpg.Pool, asyncpg.Pool]) -> None:
    with pytest.raises(ReportOptionError) as refused:
        await _report(pools[1], FEBRUARY, "emb-xx-atlantis")

    assert refused.value.option == "--establishment"
    assert "emb-xx-atlantis" in refused.value.detail
