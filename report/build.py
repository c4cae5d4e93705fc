"""The report assembled from PostgreSQL, and written out as its two files."""

from dataclasses import dataclass
from pathlib import Path

from clock import Clock
from db.pool import Connection
from db.reference import find_establishment
from db.service_report import ReportScope, monthly_figures
from report.csv_file import report_csv
from report.html_page import report_html
from report.model import MonthFigures, ServiceReport
from report.options import Period, ReportOptionError

HTML_NAME = "service-report.html"
CSV_NAME = "service-report.csv"


async def build_report(conn: Connection, period: Period, establishment_id: str | None, clock: Clock) -> ServiceReport:
    """The report over `period` (one establishment's, or every one's), as the records stand now."""
    if establishment_id is not None and await find_establishment(conn, establishment_id) is None:
        raise ReportOptionError("--establishment", f"{establishment_id!r} is not in the reference data")
    now = clock.now()
    rows = await monthly_figures(conn, ReportScope(period.first_day, period.last_day, establishment_id, now))
    return ServiceReport(
        first_day=period.first_day,
        last_day=period.last_day,
        establishment_id=establishment_id,
        generated_at=now,
        rows=[MonthFigures.from_row(row) for row in rows],
    )


@dataclass(frozen=True)
class Written:
    """Where the report went."""

    html: Path
    csv: Path


def write_report(report: ServiceReport, out: Path) -> Written:
    """Write the page and the CSV into `out` (created if missing), replacing an earlier report there."""
    out.mkdir(parents=True, exist_ok=True)
    written = Written(out / HTML_NAME, out / CSV_NAME)
    written.html.write_text(report_html(report), encoding="utf-8")
    written.csv.write_text(report_csv(report), encoding="utf-8")
    return written
