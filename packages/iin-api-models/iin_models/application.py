"""What an officer at a foreign establishment submits: the application, the applicant, the documents.

Structural rules live here (types, formats, lengths, internal consistency) and answer with a
validation error naming the field. Substantive rules (an expired document, a missing apostille) are
decisions of the workflow and end in a recorded rejection, never in a validation error.
"""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from iin_models.enums import Certification, DocumentKind, Sex
from iin_models.text import CountryCode, DocumentNumber, Identifier, MrzLine, NativeName, PersonName, ShortText

# Codes of applicant categories and of supporting-document kinds: data (data/applicant_categories.csv),
# so a constrained string rather than an enum; whether a code is eligible is decided at intake.
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
]


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
    citizenship: CountryCode


class IdentityDocument(_Model):
    """The identity document whose copy is filed; the officer has seen the original."""

    kind: DocumentKind
    number: DocumentNumber
    issuing_state: CountryCode
    issued_on: date
    expires_on: date | None = Field(default=None, description="None for documents issued without expiry.")
    particulars_in_latin_or_cyrillic: bool
    mrz: tuple[MrzLine, ...] | None = Field(default=None, min_length=2, max_length=3)

    @field_validator("expires_on")
    @classmethod
    def _expiry_after_issue(cls, expires_on: date | None, info: ValidationInfo) -> date | None:
        issued_on = info.data.get("issued_on")
        if expires_on is not None and issued_on is not None and expires_on <= issued_on:
            raise ValueError("must be later than issued_on")
        return expires_on


class Translation(_Model):
    """A translation of the document's particulars, required when they are not in Latin or Cyrillic."""

    notarized: bool
    notary: ShortText | None = Field(default=None, validate_default=True)
    notarized_in: CountryCode | None = Field(
        default=None, validate_default=True, description="State where the notarial act was done."
    )
    notarized_on: date | None = Field(default=None, validate_default=True)
    certification: Certification = Certification.NONE
    certified_on: date | None = Field(
        default=None, validate_default=True, description="Date of the apostille or the legalization."
    )

    @field_validator("notary", "notarized_in", "notarized_on")
    @classmethod
    def _required_when_notarized(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.data.get("notarized"):
            raise ValueError("is required for a notarized translation")
        return value

    @field_validator("certified_on")
    @classmethod
    def _dated_when_certified(cls, certified_on: date | None, info: ValidationInfo) -> date | None:
        certification = info.data.get("certification")
        if certification is None:
            return certified_on  # certification itself was invalid and is reported on its own
        if certification is not Certification.NONE and certified_on is None:
            raise ValueError("is required when the translation is apostilled or legalized")
        if certification is Certification.NONE and certified_on is not None:
            raise ValueError("must be empty when certification is 'none'")
        return certified_on


class SupportingDocument(_Model):
    """The document proving the applicant category claimed; the officer has seen the original."""

    kind: Code = Field(description="What the document is, e.g. marriage_certificate.")
    reference: ShortText = Field(description="Its number or other reference.")
    issued_on: date
    issued_by: ShortText | None = None


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
    category: Code | None = Field(
        default=None, description="The applicant category claimed; required where the period limits categories."
    )
    supporting_document: SupportingDocument | None = None

    @field_validator("supporting_document")
    @classmethod
    def _document_proves_a_category(
        cls, document: SupportingDocument | None, info: ValidationInfo
    ) -> SupportingDocument | None:
        if document is None or "category" not in info.data:
            return document  # an invalid category is reported on its own
        if info.data["category"] is None:
            raise ValueError("is given without the category it proves")
        return document
