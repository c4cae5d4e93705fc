"""The options of `iin report` checked before any query, each error naming its option."""

from datetime import date

import pytest

from report.options import Period, ReportOptionError, parse_period


def test_a_period_of_one_day_is_accepted() -> None:
    assert parse_period("2026-11-30", "2026-11-30") == Period(date(2026, 11, 30), date(2026, 11, 30))


@pytest.mark.parametrize(
    ("first", "last", "option", "named"),
    [
        ("2026-13-01", "2026-12-31", "--from", "2026-13-01"),
        ("2026-11-01", "30.11.2026", "--to", "30.11.2026"),
        ("2026-12-01", "2026-11-30", "--from", "is after --to 2026-11-30"),
    ],
    ids=["bad --from", "bad --to", "--from after --to"],
)
def test_a_bad_period_is_refused_naming_the_option(first: str, last: str, option: str, named: str) -> None:
    with pytest.raises(ReportOptionError) as refused:
        parse_period(first, last)

    assert refused.value.option == option
    assert named in str(refused.value)
