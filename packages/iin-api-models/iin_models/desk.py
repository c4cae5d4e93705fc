"""What the review desk's endpoints answer: the queue, the comparison of two people, a verdict half given."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from iin_models.enums import ReviewVerdict
from iin_models.national_register import RegisteredDocument, RegisteredPerson


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class MatchShown(_Answer):
    """One probable match the duplicate check found: the band and what matched (no personal data)."""

    band: Literal["probable"] = "probable"
    basis: str = Field(description="document_number, other_citizenship_or_sex, partial_name, near_birth_date, ...")


class ReviewQueueItem(_Answer):
    """An application awaiting review, as the queue lists it (no personal data)."""

    application_id: UUID
    establishment_id: str
    submitted_at: datetime
    due_date: date
    deadline: datetime
    breached: bool
    waiting_since: datetime = Field(description="When the duplicate check sent it to review.")
    waiting_seconds: int = Field(description="How long it has waited, at the time of the answer.")
    matches: list[MatchShown]
    approvals: int = Field(description="Reviewers who said different_person so far (four eyes).")


class ReviewQueuePage(_Answer):
    """A page of the queue, the most urgent first; pass `next_cursor` as `cursor` for the next page."""

    items: list[ReviewQueueItem]
    next_cursor: str | None = None


class PersonAsFiled(_Answer):
    """The applicant as the establishment filed them, with the identity document."""

    surname: str
    given_names: str
    patronymic: str | None = None
    native_name: str | None = None
    sex: str
    birth_date: date
    citizenship: str
    documents: tuple[RegisteredDocument, ...]


Agreement = Literal["agrees", "differs", "unknown"]


class FieldComparison(_Answer):
    """One field of the applicant beside the candidate's; `unknown` when either side lacks it."""

    field: str
    applicant: str | None
    candidate: str | None
    agreement: Agreement


class CandidateShown(_Answer):
    """A registered person the applicant may be: the register's record, the match, the fields compared."""

    iin: str
    match: MatchShown
    person: RegisteredPerson | None = Field(description="None if the register no longer holds the IIN.")
    fields: list[FieldComparison]
    agree: list[str]
    differ: list[str]


class ApprovalShown(_Answer):
    """A reviewer's different_person waiting for a second key (four eyes)."""

    api_key_id: str
    officer_id: str
    approved_at: datetime


class ReviewComparison(_Answer):
    """The applicant beside each registered candidate: personal data, reviewer keys only, every read logged."""

    application_id: UUID
    establishment_id: str
    due_date: date
    deadline: datetime
    breached: bool
    waiting_since: datetime
    applicant: PersonAsFiled
    candidates: list[CandidateShown]
    four_eyes: bool = Field(description="Whether different_person needs two different reviewer keys.")
    approvals: list[ApprovalShown]


class ReviewPending(_Answer):
    """202: the verdict is recorded but waits for a second, different reviewer key before it takes effect."""

    application_id: UUID
    verdict: ReviewVerdict
    approvals: list[ApprovalShown]
    needed: int = Field(description="How many different reviewer keys the verdict needs.")
