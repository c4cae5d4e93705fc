"""The report's options checked before any query: each error names the option a person must fix."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path


class ReportOptionError(ValueError):
    """An option of `iin report` that cannot be used as given."""

    def __init__(self, option: str, detail: str) -> None:
        super().__init__(f"{option}: {detail}")
        self.option = option
        self.detail = detail


@dataclass(frozen=True)
class Period:
    """Local dates of submission, both inclusive."""

    first_day: date
    last_day: date


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ReportOptionError(option, f"{text!r} is not a date (YYYY-MM-DD)") from error


def parse_period(first: str, last: str) -> Period:
    """The period from the texts of --from and --to; --from may not be after --to."""
    period = Period(_day("--from", first), _day("--to", last))
    if period.first_day > period.last_day:
        raise ReportOptionError("--from", f"{period.first_day.isoformat()} is after --to {period.last_day.isoformat()}")
    return period


def check_out(out: Path) -> Path:
    """The folder of --out, which may not exist yet but may not be a file."""
    if out.exists() and not out.is_dir():
        raise ReportOptionError("--out", f"{str(out)!r} is a file, not a folder")
    return out
