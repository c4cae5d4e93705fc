"""The CSV's fixed shape: a header, a column per rejection reason, plain decimals, empty for nothing."""

import csv
import io
from datetime import UTC, date, datetime

from iin_models.enums import RejectionReason
from report.csv_file import report_csv
from report.model import MonthFigures, ServiceReport
from tests.report.figures import make_figures


def _csv(*figures: MonthFigures) -> str:
    report = ServiceReport(
        first_day=date(2026, 11, 1),
        last_day=date(2026, 11, 30),
        establishment_id=None,
        generated_at=datetime(2026, 12, 1, tzinfo=UTC),
        rows=list(figures),
    )
    return report_csv(report)


def _rows(*figures: MonthFigures) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_csv(*figures))))


def test_the_header_has_a_column_per_rejection_reason_whether_or_not_any_was_given() -> None:
    header = next(csv.reader(io.StringIO(_csv())))

    assert header[:6] == ["establishment_id", "month", "time_zone", "applications", "certificates", "rejected"]
    assert [name for name in header if name.startswith("rejected_")] == [f"rejected_{r.value}" for r in RejectionReason]


def test_numbers_are_plain_decimals_with_a_point_and_durations_in_hours() -> None:
    (row,) = _rows(make_figures())

    assert row["month"] == "2026-11"
    assert row["within_term_share"] == "0.6667"
    assert row["hours_to_certificate_median"] == "1.5000"
    assert row["hours_to_certificate_p95"] == "34.2933"


def test_a_figure_with_nothing_to_measure_is_left_empty() -> None:
    (row,) = _rows(make_figures(certificates=0, formed_within_term=0, seconds_to_certificate_median=None))

    assert row["within_term_share"] == row["hours_to_certificate_median"] == row["hours_in_review_p95"] == ""
    assert row["breaches"] == "1"


def test_there_is_one_row_per_establishment_and_month_in_the_reports_order() -> None:
    rows = _rows(make_figures(), make_figures(month=date(2026, 12, 1)), make_figures(establishment_id="emb-cn-beijing"))

    assert [(r["establishment_id"], r["month"]) for r in rows] == [
        ("emb-tr-ankara", "2026-11"),
        ("emb-tr-ankara", "2026-12"),
        ("emb-cn-beijing", "2026-11"),
    ]
