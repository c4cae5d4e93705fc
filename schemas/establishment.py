"""Reference data as the workflow sees it: resolved once at submission and carried in its input."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict
from pydantic_extra_types.country import CountryAlpha2

from schemas.enums import EstablishmentKind


class Establishment(BaseModel):
    """An embassy or consulate general of Kazakhstan, as in force on the day that matters."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: EstablishmentKind
    city: str
    country: CountryAlpha2
    time_zone: str
    rest_days: frozenset[int]
    closures: frozenset[date] = frozenset()


class ServicePeriod(BaseModel):
    """A period in which the service is offered, with the establishments it covers."""

    model_config = ConfigDict(frozen=True)

    id: str
    starts_on: date
    ends_on: date
    establishment_ids: frozenset[str] | None = None  # None: every establishment in the reference data


class Deadline(BaseModel):
    """The end of the first business day after the day of submission, at the establishment."""

    model_config = ConfigDict(frozen=True)

    due_date: date
    due_at: datetime
