"""Report rows built in memory, for the tests of the CSV and the page."""

from datetime import date

from iin_models.enums import RejectionReason
from report.model import MonthFigures


def make_figures(**overrides: object) -> MonthFigures:
    """A month of figures at Ankara: three certificates, two within the term; `overrides` change any field."""
    values: dict[str, object] = {
        "establishment_id": "emb-tr-ankara",
        "time_zone": "Europe/Istanbul",
        "month": date(2026, 11, 1),
        "applications": 3,
        "certificates": 3,
        "rejected": 0,
        "rejections": dict.fromkeys(RejectionReason, 0),
        "withdrawn": 0,
        "open": 0,
        "formed_within_term": 2,
        "breaches": 1,
        "seconds_to_certificate_median": 5400.0,
        "seconds_to_certificate_p95": 123456.0,
        "reviews": 0,
        "seconds_in_review_median": None,
        "seconds_in_review_p95": None,
        "awaiting_review": 0,
        "seconds_awaiting_review_oldest": None,
    }
    return MonthFigures.model_validate(values | overrides)
