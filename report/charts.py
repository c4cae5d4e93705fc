"""Horizontal bar charts as inline SVG: drawn here, so the page needs no script, no font and no network.

Colours are SVG fills, which browsers print (CSS backgrounds they drop by default); every bar also
carries its value in text, so a grey print still reads.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 760
LABEL_WIDTH = 220  # the longest establishment id and its month
VALUE_WIDTH = 60  # room right of the longest bar for its value
ROW = 20
LEGEND = 24
AXIS = 22
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name in the legend, its colour, one value per row (None: nothing to draw)."""

    name: str
    colour: str
    values: Sequence[float | None]


TICKS = 5  # at most this many intervals on the axis


def nice_step(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value`: the axis's step."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= value))


def short_number(value: float) -> str:
    """About three significant digits, never an exponent: 0.25, 4.83, 12.5, 45.5, 130, 1250."""
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


ROWS_PER_PIECE = 30  # 50 + 30 × 20 px at 190 mm per 760 px: 163 mm, under a heading on A4 landscape (186 mm)


def bar_charts(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool,
    describe: Callable[[float], str],
    title: str,
    axis_max: float | None = None,
) -> list[str]:
    """A horizontal bar chart with one band per label, as SVG pieces of at most ROWS_PER_PIECE bands on one
    axis, so that print breaks the page between pieces and never through one.

    The series go end to end (stacked) or side by side in the band. `describe` writes a value as the axis
    and the bar ends show it; `title` is each piece's accessible name; `axis_max` fixes where the axis
    ends (1 for shares), else it ends at a round number past the longest bar of any piece.
    """
    longest = max(_totals(series, stacked=stacked), default=0.0)
    pieces = []
    for start in range(0, len(labels), ROWS_PER_PIECE):
        part = slice(start, start + ROWS_PER_PIECE)
        pieces.append(
            _piece(
                labels[part],
                [Series(s.name, s.colour, s.values[part]) for s in series],
                stacked=stacked,
                describe=describe,
                title=title,
                axis_max=longest if axis_max is None else axis_max,
            )
        )
    return pieces


def _totals(series: Sequence[Series], *, stacked: bool) -> list[float]:
    """Where each band ends: the sum of its values (stacked) or the largest."""
    return [
        sum(v or 0.0 for v in row) if stacked else max((v or 0.0 for v in row), default=0.0)
        for row in zip(*(s.values for s in series), strict=True)
    ]


def _piece(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool,
    describe: Callable[[float], str],
    title: str,
    axis_max: float,
) -> str:
    totals = _totals(series, stacked=stacked)
    step = nice_step(axis_max / TICKS)
    intervals = max(math.ceil(axis_max / step - 1e-9), 1)  # the tolerance: 3 * 0.2 is a hair above 0.6
    top = step * intervals
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = LEGEND + AXIS + ROW * len(labels) + 4

    def x(value: float) -> float:
        return LABEL_WIDTH + plot * min(value, top) / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="chart" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    parts += _legend(series)
    parts += _axis(step, intervals, describe, x, LEGEND + AXIS, height)
    thickness = (ROW - 6) if stacked else (ROW - 6) / len(series)
    for index, (label, total) in enumerate(zip(labels, totals, strict=True)):
        y = LEGEND + AXIS + index * ROW
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end">{escape(label)}</text>')
        start = 0.0
        for position, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            left = x(start) if stacked else LABEL_WIDTH
            top_y = y + 3 + (0 if stacked else position * thickness)
            width = x(start + value) - left if stacked else x(value) - LABEL_WIDTH
            parts.append(
                f'<rect x="{left:.1f}" y="{top_y:.1f}" width="{max(width, 0):.1f}" height="{thickness:.1f}"'
                f' fill="{one.colour}"><title>{escape(one.name)}: {escape(describe(value))}</title></rect>'
            )
            if not stacked:
                parts.append(_end_label(x(value), top_y + thickness / 2, describe(value), small=len(series) > 1))
            start += value if stacked else 0.0
        if stacked:
            parts.append(_end_label(x(total), y + ROW / 2, describe(total), small=False))
    parts.append("</svg>")
    return "".join(parts)


def _end_label(x: float, middle: float, text: str, *, small: bool) -> str:
    size = ' font-size="9"' if small else ""
    return f'<text x="{x + 4:.1f}" y="{middle + 3.5:.1f}"{size}>{escape(text)}</text>'


def _legend(series: Sequence[Series]) -> list[str]:
    parts, left = [], float(LABEL_WIDTH)
    for one in series:
        parts.append(f'<rect x="{left:.1f}" y="6" width="11" height="11" fill="{one.colour}"/>')
        parts.append(f'<text x="{left + 15:.1f}" y="15">{escape(one.name)}</text>')
        left += 15 + 7 * len(one.name) + 18
    return parts


def _axis(
    step: float, intervals: int, describe: Callable[[float], str], x: Callable[[float], float], y: int, bottom: int
) -> list[str]:
    parts = []
    for tick in range(intervals + 1):
        value = step * tick
        at = x(value)
        parts.append(f'<line x1="{at:.1f}" y1="{y - 4}" x2="{at:.1f}" y2="{bottom}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{at:.1f}" y="{y - 8}" text-anchor="middle" fill="#57606a">{escape(describe(value))}</text>'
        )
    return parts
