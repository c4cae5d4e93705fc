"""The service-level report's figures: per establishment and calendar month, aggregated in PostgreSQL.

A month is counted in the establishment's own time zone (establishments.time_zone): an application
belongs to the month of its local date of submission, the date its term is counted from. Every figure
is about the applications submitted in that month, as the projection holds them when the report runs.
"""

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from db.pool import Connection
from iin_models.enums import ApplicationState

# Open is not ended, as the workflow's states define it: a state added later is counted without an edit here.
TERMINAL_STATES = [state.value for state in ApplicationState if state.is_terminal]

# Each step is MATERIALIZED, and the reasons are joined to the months only once both are counted: with the
# join before the grouping, a generic plan (asyncpg prepares statements) counted the reasons again for
# every application, quadratic in the applications of the period (over 20 s for a year of 10,000).
# The first filter on submitted_at only narrows the scan to an index range: no zone is more than 14 hours
# ahead of UTC or 12 behind it, so every instant of a local day lies in [day - 14 h, day + 1 + 12 h) UTC.
# The exact test on the local date follows it.
MONTHLY_FIGURES = """
WITH scoped AS MATERIALIZED (
    SELECT a.application_id, a.establishment_id, e.time_zone, a.state, a.submitted_at, a.deadline,
           a.breached, a.rejection_reasons,
           date_trunc('month', a.submitted_at AT TIME ZONE e.time_zone)::date AS month,
           m.certified_at, m.review_from, r.review_until
      FROM applications a
      JOIN establishments e ON e.id = a.establishment_id
      CROSS JOIN LATERAL (
          SELECT min((t->>'at')::timestamptz) FILTER (WHERE t->>'state' = 'certificate_issued') AS certified_at,
                 min((t->>'at')::timestamptz) FILTER (WHERE t->>'state' = 'awaiting_review') AS review_from
            FROM jsonb_array_elements(a.transitions) t
      ) m
      CROSS JOIN LATERAL (
          SELECT min((t->>'at')::timestamptz) AS review_until
            FROM jsonb_array_elements(a.transitions) t
           WHERE t->>'state' IN ('iin_formed', 'rejected', 'withdrawn')
             AND (t->>'at')::timestamptz >= m.review_from
      ) r
     WHERE ($3::text IS NULL OR a.establishment_id = $3)
       AND a.submitted_at >= ($1::date::timestamp AT TIME ZONE 'UTC') - interval '14 hours'
       AND a.submitted_at < (($2::date + 1)::timestamp AT TIME ZONE 'UTC') + interval '12 hours'
       AND (a.submitted_at AT TIME ZONE e.time_zone)::date BETWEEN $1::date AND $2::date
),
reasons AS MATERIALIZED (
    SELECT establishment_id, month, jsonb_object_agg(reason, applications) AS rejections
      FROM (SELECT s.establishment_id, s.month, reason, count(DISTINCT s.application_id) AS applications
              FROM scoped s CROSS JOIN LATERAL unnest(s.rejection_reasons) AS reason
             WHERE s.state = 'rejected'
             GROUP BY s.establishment_id, s.month, reason) counted
     GROUP BY establishment_id, month
),
monthly AS MATERIALIZED (
    SELECT s.establishment_id, s.time_zone, s.month,
           count(*) AS applications,
           count(*) FILTER (WHERE s.state = 'certificate_issued') AS certificates,
           count(*) FILTER (WHERE s.state = 'rejected') AS rejected,
           count(*) FILTER (WHERE s.state = 'withdrawn') AS withdrawn,
           count(*) FILTER (WHERE s.state <> ALL($5::text[])) AS open,
           count(*) FILTER (WHERE s.state = 'certificate_issued' AND s.certified_at <= s.deadline)
               AS formed_within_term,
           count(*) FILTER (WHERE s.breached) AS breaches,
           extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY s.certified_at - s.submitted_at)
               FILTER (WHERE s.state = 'certificate_issued'))::float8 AS seconds_to_certificate_median,
           extract(epoch FROM percentile_cont(0.95) WITHIN GROUP (ORDER BY s.certified_at - s.submitted_at)
               FILTER (WHERE s.state = 'certificate_issued'))::float8 AS seconds_to_certificate_p95,
           count(*) FILTER (WHERE s.review_from IS NOT NULL) AS reviews,
           extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY s.review_until - s.review_from)
               FILTER (WHERE s.review_until IS NOT NULL))::float8 AS seconds_in_review_median,
           extract(epoch FROM percentile_cont(0.95) WITHIN GROUP (ORDER BY s.review_until - s.review_from)
               FILTER (WHERE s.review_until IS NOT NULL))::float8 AS seconds_in_review_p95,
           count(*) FILTER (WHERE s.state = 'awaiting_review') AS awaiting_review,
           extract(epoch FROM max($4::timestamptz - s.review_from) FILTER (WHERE s.state = 'awaiting_review'))::float8
               AS seconds_awaiting_review_oldest
      FROM scoped s
     GROUP BY s.establishment_id, s.time_zone, s.month
)
SELECT m.*, coalesce(x.rejections, '{}'::jsonb) AS rejections
  FROM monthly m
  LEFT JOIN reasons x ON x.establishment_id = m.establishment_id AND x.month = m.month
 ORDER BY m.establishment_id, m.month"""


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: local dates of submission (both inclusive), one establishment or all."""

    first_day: date
    last_day: date
    establishment_id: str | None
    as_of: datetime  # "now" for the age of what still waits in review


async def monthly_figures(conn: Connection, scope: ReportScope) -> list[asyncpg.Record]:
    """One row per establishment and local month with at least one application submitted in the scope."""
    rows: list[asyncpg.Record] = await conn.fetch(
        MONTHLY_FIGURES, scope.first_day, scope.last_day, scope.establishment_id, scope.as_of, TERMINAL_STATES
    )
    return rows
