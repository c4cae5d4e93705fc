"""The report's columns, in their fixed order: the CSV's header and the HTML table both follow it."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from iin_models.enums import RejectionReason
from report.formats import HOUR
from report.model import MonthFigures


class Kind(StrEnum):
    """How a column's value reads: it decides the CSV's number format and the page's."""

    TEXT = "text"
    COUNT = "count"
    SHARE = "share"  # a fraction, 0 to 1
    HOURS = "hours"  # a duration in hours


Value = str | int | float | None


@dataclass(frozen=True)
class Column:
    """One column: its CSV name, its heading on the page, how to read it off a row."""

    name: str
    title: str
    kind: Kind
    value: Callable[[MonthFigures], Value]


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / HOUR


def _rejections(reason: RejectionReason) -> Column:
    return Column(
        f"rejected_{reason.value}",
        f"refused: {reason.value.replace('_', ' ')}",
        Kind.COUNT,
        lambda f: f.rejections[reason],
    )


COLUMNS: tuple[Column, ...] = (
    Column("establishment_id", "establishment", Kind.TEXT, lambda f: f.establishment_id),
    Column("month", "month", Kind.TEXT, lambda f: f.month.strftime("%Y-%m")),
    Column("time_zone", "time zone", Kind.TEXT, lambda f: f.time_zone),
    Column("applications", "applications", Kind.COUNT, lambda f: f.applications),
    Column("certificates", "certificates", Kind.COUNT, lambda f: f.certificates),
    Column("rejected", "refused", Kind.COUNT, lambda f: f.rejected),
    *(_rejections(reason) for reason in RejectionReason),
    Column("withdrawn", "withdrawn", Kind.COUNT, lambda f: f.withdrawn),
    Column("open", "open", Kind.COUNT, lambda f: f.open),
    Column("formed_within_term", "formed within the term", Kind.COUNT, lambda f: f.formed_within_term),
    Column("within_term_share", "share within the term", Kind.SHARE, lambda f: f.within_term_share),
    Column("breaches", "breaches", Kind.COUNT, lambda f: f.breaches),
    Column(
        "hours_to_certificate_median",
        "to certificate, median",
        Kind.HOURS,
        lambda f: _hours(f.seconds_to_certificate_median),
    ),
    Column(
        "hours_to_certificate_p95", "to certificate, p95", Kind.HOURS, lambda f: _hours(f.seconds_to_certificate_p95)
    ),
    Column("reviews", "reviews", Kind.COUNT, lambda f: f.reviews),
    Column("hours_in_review_median", "in review, median", Kind.HOURS, lambda f: _hours(f.seconds_in_review_median)),
    Column("hours_in_review_p95", "in review, p95", Kind.HOURS, lambda f: _hours(f.seconds_in_review_p95)),
    Column("awaiting_review", "awaiting review", Kind.COUNT, lambda f: f.awaiting_review),
    Column(
        "hours_awaiting_review_oldest",
        "oldest in review",
        Kind.HOURS,
        lambda f: _hours(f.seconds_awaiting_review_oldest),
    ),
)
