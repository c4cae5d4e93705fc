"""The one source of "now" for everything outside workflow code.

Workflow code reads `workflow.now()` (the time of its workflow task, replayed from history); every
other part of the service (intake, activities, the archive, the API, the commands) takes a `Clock`
and asks it. Production passes `SYSTEM_CLOCK`; tests pass a `FixedClock`, or travel the whole
process with time-machine, which `SystemClock` follows because it reads `datetime.now`.
"""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current instant."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The machine's current instant, in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that shows one instant until it is moved: for tests and for deciding "as of" a day."""

    def __init__(self, at: datetime) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        """The instant the clock was set to."""
        return self._at

    def set(self, at: datetime) -> None:
        """Show `at` from now on."""
        self._at = _aware(at)

    def advance(self, by: timedelta) -> None:
        """Move the clock forward by `by`."""
        self._at += by


def _aware(at: datetime) -> datetime:
    if at.utcoffset() is None:
        raise ValueError("a clock shows timezone-aware instants only")
    return at.astimezone(UTC)


SYSTEM_CLOCK: Clock = SystemClock()
