"""The national register's contract: who an IIN is formed for, what a lookup finds, what formation answers.

The same models are the HTTP contract of a remote register (docs/register-openapi.json) and what the
embedded register returns, so the activities cannot tell the two apart.
"""

from datetime import date, datetime
from typing import Protocol, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from iin_models.application import Applicant, Application, IdentityDocument


class Particulars(Protocol):
    """Anything carrying a person's particulars and the document they identify themselves with."""

    @property
    def applicant(self) -> Applicant: ...

    @property
    def document(self) -> IdentityDocument: ...


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Registrant(_Model):
    """Whom the register is asked to form an IIN for; the application id is the idempotency key."""

    application_id: UUID = Field(description="The application's id: forming again for it returns the same IIN.")
    applicant: Applicant
    document: IdentityDocument

    @classmethod
    def of(cls, application: Application) -> Self:
        """The registrant an application names."""
        return cls(
            application_id=application.application_id, applicant=application.applicant, document=application.document
        )


class DocumentHolder(_Model):
    """A registered person holding a document with the number looked up, under some issuing state."""

    iin: str
    issuing_state: str
    birth_date: date
    citizenship: str
    sex: str


class NameKeyHolder(_Model):
    """A registered person with one of the name keys looked up, on one of the birth dates."""

    iin: str
    name_key: str
    full_name: bool = Field(description="The key spells the whole name, not only surname and first given name.")
    birth_date: date
    citizenship: str
    sex: str


class SimilarNameHolder(_Model):
    """A registered person born on one of the dates whose name is similar to one of the spellings."""

    iin: str
    name_key: str
    similarity: float = Field(ge=0, le=1, description="pg_trgm similarity of the closest spelling.")
    birth_date: date
    citizenship: str
    sex: str


class NameKeyQuery(_Model):
    """Find the holders of any of `keys` born on any of `birth_dates`."""

    birth_dates: list[date] = Field(min_length=1, max_length=64)
    keys: list[str] = Field(min_length=1, max_length=512)


class SimilarNameQuery(_Model):
    """Find the people born on any of `birth_dates` whose name reaches `threshold` with a spelling."""

    birth_dates: list[date] = Field(min_length=1, max_length=8)
    spellings: list[str] = Field(min_length=1, max_length=512)
    threshold: float = Field(ge=0, le=1)


class Holder(_Model):
    """A registered person who makes a formation impossible: the IIN and why."""

    iin: str
    basis: str = Field(description="What matched with certainty: `document` or `identity`.")


class Formation(_Model):
    """What the register answers to a formation: the IIN formed for the application, or its holders.

    `iin` is set when an IIN was formed for the application, now or by an earlier call with the same id;
    otherwise `holders` names the registered people the registrant certainly is.
    """

    application_id: UUID
    iin: str | None = None
    holders: tuple[Holder, ...] = ()


class RegisteredDocument(_Model):
    """An identity document the register holds for a person; kind and dates where the register has them."""

    issuing_state: str
    number: str
    kind: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None


class RegisteredPerson(_Model):
    """Everything the register holds of one person: what a reviewer compares an applicant with.

    `formed_through` says where the IIN was formed: the establishment of the application that formed
    it, or `register-extract:<file>` for a holder imported from the national register's extract.
    """

    iin: str
    surname: str
    given_names: str
    patronymic: str | None = None
    native_name: str | None = Field(default=None, description="The name in its own script, where held.")
    sex: str
    birth_date: date
    citizenship: str
    documents: tuple[RegisteredDocument, ...] = ()
    formed_at: datetime = Field(description="When the register recorded the IIN.")
    formed_through: str | None = None
    application_id: UUID | None = Field(default=None, description="The application that formed it, if this service.")
