"""How the page writes shares and durations for people (the CSV keeps plain decimals)."""

from collections.abc import Callable
from dataclasses import dataclass

from report.charts import short_number

MINUTE = 60.0
HOUR = 3600.0


def share(value: float | None) -> str:
    """A fraction as a percentage with one decimal; a dash for none."""
    return "–" if value is None else f"{100 * value:.1f} %"


def duration(seconds: float | None) -> str:
    """A duration as people read it: 1 h 05 min, 12 min, 38 s, 0.2 s; a dash for none."""
    if seconds is None:
        return "–"
    if seconds >= HOUR:
        hours, rest = divmod(round(seconds / MINUTE), 60)
        return f"{hours} h {rest:02d} min"
    if seconds >= MINUTE:
        return f"{round(seconds / MINUTE)} min"
    if seconds >= 10:
        return f"{round(seconds)} s"
    return f"{seconds:.1f} s"


@dataclass(frozen=True)
class Unit:
    """The unit a chart of durations is drawn in: what a value in seconds is divided by, and its symbol."""

    seconds: float
    symbol: str

    def describe(self) -> Callable[[float], str]:
        """How the chart writes a value already in this unit."""
        return lambda value: f"{short_number(value)} {self.symbol}"


def unit_for(longest_seconds: float) -> Unit:
    """Hours from two hours up, minutes from two minutes, else seconds: the axis reads in small numbers."""
    if longest_seconds >= 2 * HOUR:
        return Unit(HOUR, "h")
    if longest_seconds >= 2 * MINUTE:
        return Unit(MINUTE, "min")
    return Unit(1.0, "s")
