"""The page's charts, one per question the ministries ask, drawn from the report's rows."""

from collections.abc import Callable
from dataclasses import dataclass

from iin_models.enums import RejectionReason
from report.charts import Series, bar_charts, short_number
from report.formats import unit_for
from report.model import MonthFigures, ServiceReport

GREEN, RED, GREY, BLUE, AMBER, PURPLE = "#1a7f37", "#cf222e", "#8c959f", "#0969da", "#bf8700", "#8250df"
REASON_COLOURS = dict(zip(RejectionReason, (RED, AMBER, PURPLE), strict=True))


@dataclass(frozen=True)
class Chart:
    """A chart with its heading and the sentence that says how to read it; its SVG pieces (charts.py)."""

    heading: str
    note: str
    pieces: list[str]


def row_label(figures: MonthFigures) -> str:
    """How a chart names a row: the establishment and the month."""
    return f"{figures.establishment_id} · {figures.month:%Y-%m}"


def _count(value: float) -> str:
    return f"{value:g}"


def _outcomes(rows: list[MonthFigures]) -> Chart:
    series = [
        Series("certificates", GREEN, [r.certificates for r in rows]),
        Series("refused", RED, [r.rejected for r in rows]),
        Series("withdrawn", GREY, [r.withdrawn for r in rows]),
        Series("open", BLUE, [r.open for r in rows]),
    ]
    title = "Applications and what became of them"
    pieces = bar_charts([row_label(r) for r in rows], series, stacked=True, describe=_count, title=title)
    return Chart(title, "Each bar is the applications submitted in the month; its end, their number.", pieces)


def _within_term(rows: list[MonthFigures]) -> Chart:
    shown = [r for r in rows if r.certificates]
    series = [Series("formed within the term", GREEN, [r.within_term_share for r in shown])]
    title = "Share formed within the term"
    pieces = bar_charts(
        [row_label(r) for r in shown],
        series,
        stacked=False,
        describe=lambda v: f"{short_number(100 * v)} %",
        title=title,
        axis_max=1.0,
    )
    return Chart(title, "Of the certificates, those issued by the end of the term (rows with certificates).", pieces)


def _durations(
    rows: list[MonthFigures],
    title: str,
    note: str,
    median: Callable[[MonthFigures], float | None],
    p95: Callable[[MonthFigures], float | None],
) -> Chart | None:
    shown = [r for r in rows if median(r) is not None]
    if not shown:
        return None
    unit = unit_for(max(p95(r) or 0.0 for r in shown))

    def scaled(read: Callable[[MonthFigures], float | None]) -> list[float | None]:
        return [None if (v := read(r)) is None else v / unit.seconds for r in shown]

    series = [Series("median", BLUE, scaled(median)), Series("95th percentile", AMBER, scaled(p95))]
    pieces = bar_charts([row_label(r) for r in shown], series, stacked=False, describe=unit.describe(), title=title)
    return Chart(title, note, pieces)


def _refusals(rows: list[MonthFigures]) -> Chart | None:
    shown = [r for r in rows if r.rejected]
    if not shown:
        return None
    series = [
        Series(reason.value.replace("_", " "), REASON_COLOURS[reason], [r.rejections[reason] for r in shown])
        for reason in RejectionReason
    ]
    title = "Refusals by reason"
    pieces = bar_charts([row_label(r) for r in shown], series, stacked=True, describe=_count, title=title)
    return Chart(title, "An application refused on two grounds counts once under each.", pieces)


def charts(report: ServiceReport) -> list[Chart]:
    """The charts of a report with rows; those with nothing to show are left out."""
    rows = report.rows
    found = [
        _outcomes(rows),
        _within_term(rows) if any(r.certificates for r in rows) else None,
        _durations(
            rows,
            "Time from submission to certificate",
            "Median and 95th percentile over the certificates of the month.",
            lambda r: r.seconds_to_certificate_median,
            lambda r: r.seconds_to_certificate_p95,
        ),
        _refusals(rows),
        _durations(
            rows,
            "Time in review",
            "Median and 95th percentile of the wait of probable duplicates, over the reviews that ended.",
            lambda r: r.seconds_in_review_median,
            lambda r: r.seconds_in_review_p95,
        ),
    ]
    return [chart for chart in found if chart is not None]
