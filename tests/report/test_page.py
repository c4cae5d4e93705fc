"""The page as HTML text: every CSV column on it, nothing fetched from elsewhere, text escaped."""

import re
from datetime import UTC, date, datetime

from report.columns import COLUMNS
from report.html_page import report_html
from report.model import ServiceReport
from tests.report.figures import make_figures


def _page(**overrides: object) -> str:
    return report_html(
        ServiceReport(
            first_day=date(2026, 11, 1),
            last_day=date(2026, 11, 30),
            establishment_id=None,
            generated_at=datetime(2026, 12, 1, tzinfo=UTC),
            rows=[make_figures(**overrides)],
        )
    )


def test_every_column_of_the_csv_is_on_the_page() -> None:
    shown = set(re.findall(r'data-column="([a-z0-9_]+)"', _page()))

    assert shown == {column.name for column in COLUMNS}


def test_the_page_has_no_script_and_loads_nothing_from_elsewhere() -> None:
    page = _page()

    assert "<script" not in page
    assert not re.search(r'(src|href)="', page)
    assert "@import" not in page and "url(" not in page


def test_names_from_the_data_are_escaped() -> None:
    page = _page(establishment_id="<b>x</b>")

    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_period_without_applications_says_so_and_draws_no_chart() -> None:
    page = report_html(
        ServiceReport(
            first_day=date(2001, 1, 1),
            last_day=date(2001, 1, 31),
            establishment_id="emb-jp-tokyo",
            generated_at=datetime(2026, 12, 1, tzinfo=UTC),
            rows=[],
        )
    )

    assert 'id="empty"' in page and "<svg" not in page and "at emb-jp-tokyo" in page
