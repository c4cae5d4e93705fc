"""The SVG charts and the page's numbers: round axes, pieces that fit a printed page, durations people read."""

import re

import pytest

from report.charts import ROWS_PER_PIECE, Series, bar_charts, nice_step, short_number
from report.formats import duration, unit_for


@pytest.mark.parametrize(("value", "step"), [(8.4, 10), (0.2, 0.2), (3, 5), (1.5, 2), (0, 1), (9100, 10000)])
def test_the_axis_step_is_one_two_or_five_times_a_power_of_ten(value: float, step: float) -> None:
    assert nice_step(value) == pytest.approx(step)


@pytest.mark.parametrize(
    ("value", "text"), [(0.0, "0"), (0.25, "0.25"), (4.83434, "4.83"), (12.5, "12.5"), (45.48, "45.5"), (1250, "1250")]
)
def test_numbers_on_a_chart_have_about_three_digits_and_no_exponent(value: float, text: str) -> None:
    assert short_number(value) == text


def test_a_long_chart_is_drawn_in_pieces_on_one_axis() -> None:
    count = 2 * ROWS_PER_PIECE + 10
    labels = [f"establishment {n}" for n in range(count)]
    values = [60 * n / (count - 1) for n in range(count)]

    pieces = bar_charts(labels, [Series("all", "#000", values)], stacked=True, describe=str, title="t")

    bands = [len(re.findall(r'text-anchor="end">establishment', piece)) for piece in pieces]
    axes = {tuple(re.findall(r'fill="#57606a">([^<]*)<', piece)) for piece in pieces}
    assert bands == [ROWS_PER_PIECE, ROWS_PER_PIECE, 10]
    assert axes == {("0.0", "20.0", "40.0", "60.0")}  # to the longest bar, in the last piece


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (0.2, "0.2 s"),
        (38.4, "38 s"),
        (725, "12 min"),
        (3900, "1 h 05 min"),
        (972 * 3600 + 1140, "972 h 19 min"),
    ],
)
def test_a_duration_reads_in_the_largest_unit_it_fills(seconds: float | None, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize(("longest", "symbol"), [(90, "s"), (119 * 60, "min"), (2 * 3600, "h")])
def test_a_chart_of_durations_is_drawn_in_small_numbers(longest: float, symbol: str) -> None:
    assert unit_for(longest).symbol == symbol
