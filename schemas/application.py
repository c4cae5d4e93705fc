"""What an officer at a foreign establishment submits: the application, the applicant, the documents.

Structural rules live here (types, formats, lengths, internal consistency) and answer with a
validation error naming the field. Substantive rules (an expired document, a missing apostille) are
decisions of the workflow and end in a recorded rejection, never in a validation error.
"""

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic_extra_types.country import CountryAlpha2

from schemas.enums import Certification, DocumentKind, Sex
from schemas.text import DocumentNumber, Identifier, MrzLine, NativeName, PersonName, ShortText


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Applicant(_Model):
    """The foreigner, with names as the document's machine readable zone gives them."""

    surname: PersonName
    given_names: PersonName
    patronymic: PersonName | None = None
    native_name: NativeName | None = Field(
        default=None, description="The full name as written in the document's own script, if not Latin."
    )
    sex: Sex
    birth_date: date
    citizenship: CountryAlpha2


class IdentityDocument(_Model):
    """The identity document whose copy is filed; the officer has seen the original."""

    kind: DocumentKind
    number: DocumentNumber
    issuing_state: CountryAlpha2
    issued_on: date
    expires_on: date | None = Field(default=None, description="None for documents issued without expiry.")
    particulars_in_latin_or_cyrillic: bool
    mrz: tuple[MrzLine, ...] | None = Field(default=None, min_length=2, max_length=3)

    @model_validator(mode="after")
    def _expiry_after_issue(self) -> Self:
        if self.expires_on is not None and self.expires_on <= self.issued_on:
            raise ValueError("expires_on must be later than issued_on")
        return self


class Translation(_Model):
    """A translation of the document's particulars, required when they are not in Latin or Cyrillic."""

    notarized: bool
    notary: ShortText | None = None
    notarized_in: CountryAlpha2 | None = Field(default=None, description="State where the notarial act was done.")
    notarized_on: date | None = None
    certification: Certification = Certification.NONE
    certified_on: date | None = Field(default=None, description="Date of the apostille or the legalization.")

    @model_validator(mode="after")
    def _notarial_particulars(self) -> Self:
        if self.notarized and (self.notary is None or self.notarized_in is None or self.notarized_on is None):
            raise ValueError("a notarized translation needs notary, notarized_in and notarized_on")
        if self.certification is not Certification.NONE and self.certified_on is None:
            raise ValueError("certified_on is required when the translation is apostilled or legalized")
        if self.certification is Certification.NONE and self.certified_on is not None:
            raise ValueError("certified_on must be empty when certification is 'none'")
        return self


class Application(_Model):
    """One application for an IIN, as filed at an establishment."""

    application_id: UUID = Field(description="Chosen by the caller; the idempotency key of the application.")
    establishment_id: Identifier
    submitted_at: AwareDatetime
    officer_id: Identifier = Field(description="The consular officer who compared the copy with the original.")
    original_compared: bool = Field(description="The officer compared the copy with the original document.")
    applicant: Applicant
    document: IdentityDocument
    translation: Translation | None = None
