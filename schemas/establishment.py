"""Reference data as the workflow sees it: resolved once at submission and carried in its input."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from iin_models.enums import EstablishmentKind
from iin_models.text import CountryCode


class Establishment(BaseModel):
    """An embassy or consulate general of Kazakhstan, as in force on the day that matters."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: EstablishmentKind
    city: str
    country: CountryCode
    time_zone: str
    rest_days: frozenset[int]
    closures: frozenset[date] = frozenset()


class AgeRule(BaseModel):
    """An age the applicant must have, in full years on the local submission day."""

    model_config = ConfigDict(frozen=True)

    at_least: int | None = Field(default=None, gt=0)
    under: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_bound(self) -> "AgeRule":
        if (self.at_least is None) == (self.under is None):
            raise ValueError("exactly one of at_least and under is required")
        return self

    def admits(self, age: int) -> bool:
        """Whether an applicant of `age` full years meets the rule."""
        if self.at_least is not None:
            return age >= self.at_least
        return self.under is not None and age < self.under

    def __str__(self) -> str:
        return f"aged {self.at_least} or over" if self.at_least is not None else f"under {self.under}"


class ApplicantCategory(BaseModel):
    """A category of applicants a period may admit, and what proves that an applicant belongs to it."""

    model_config = ConfigDict(frozen=True)

    code: str
    title_en: str
    title_ru: str
    # Any one of these kinds proves the category; empty: the identity document already does (an age).
    supporting_documents: tuple[str, ...] = ()
    documents_note: str = ""
    age_rule: AgeRule | None = None


class ServicePeriod(BaseModel):
    """A period in which the service is offered, the establishments it covers and who may apply."""

    model_config = ConfigDict(frozen=True)

    id: str
    starts_on: date
    ends_on: date | None = None  # None: until further notice
    establishment_ids: frozenset[str] | None = None  # None: every establishment in the reference data
    categories: tuple[ApplicantCategory, ...] | None = None  # None: every foreigner may apply
    source: str = ""

    def category(self, code: str) -> ApplicantCategory | None:
        """The eligible category `code`, or None if the period does not admit it (or admits everyone)."""
        return next((c for c in self.categories or () if c.code == code), None)


class Deadline(BaseModel):
    """The end of the first business day after the day of submission, at the establishment."""

    model_config = ConfigDict(frozen=True)

    due_date: date
    due_at: datetime
