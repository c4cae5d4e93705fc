"""What the service-level report says: its scope and one set of figures per establishment and month."""

from datetime import date, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from iin_models.enums import RejectionReason


class MonthFigures(BaseModel):
    """The applications an establishment took in one local calendar month, and what became of them.

    Durations are in seconds; None where nothing was there to measure (no certificate, no review).
    """

    establishment_id: str
    time_zone: str
    month: date  # the first day of the month
    applications: int
    certificates: int
    rejected: int
    rejections: dict[RejectionReason, int]  # applications refused on each ground; one may cite several
    withdrawn: int
    open: int  # not ended yet when the report ran
    formed_within_term: int  # certificates issued by the deadline
    breaches: int  # applications still open at their deadline, whatever became of them
    seconds_to_certificate_median: float | None
    seconds_to_certificate_p95: float | None
    reviews: int  # applications that went to review as a probable duplicate
    seconds_in_review_median: float | None  # of the reviews that ended
    seconds_in_review_p95: float | None
    awaiting_review: int  # still in the queue when the report ran
    seconds_awaiting_review_oldest: float | None

    @property
    def within_term_share(self) -> float | None:
        """The share of the certificates issued within the term; None without certificates."""
        return self.formed_within_term / self.certificates if self.certificates else None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> "MonthFigures":
        """The figures of one row of db.service_report.monthly_figures, every reason present."""
        values: dict[str, Any] = dict(row)
        counted = values.pop("rejections")
        values["rejections"] = {reason: int(counted.get(reason.value, 0)) for reason in RejectionReason}
        return cls.model_validate(values)


class ServiceReport(BaseModel):
    """The report as a whole: what it covers, when it was made, and its rows by establishment and month."""

    first_day: date
    last_day: date
    establishment_id: str | None
    generated_at: datetime
    rows: list[MonthFigures]
