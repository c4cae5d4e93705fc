"""Who may apply in a service period: the category claimed, its supporting document and its age rule.

Judged at intake against the period resolved for the local submission day; a period that admits
every foreigner asks for nothing (a category claimed there is recorded, not checked).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from iin_models.application import Application
from schemas.establishment import ServicePeriod


class Refusal(StrEnum):
    CATEGORY_REQUIRED = "category_required"
    CATEGORY_NOT_ELIGIBLE = "category_not_eligible"
    SUPPORTING_DOCUMENT_MISSING = "supporting_document_missing"
    SUPPORTING_DOCUMENT_INVALID = "supporting_document_invalid"
    AGE_REQUIREMENT_NOT_MET = "age_requirement_not_met"


@dataclass(frozen=True)
class Ineligible:
    """Why the applicant may not apply in the period, and the field at fault."""

    refusal: Refusal
    field: str
    message: str


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day`.

    A year is complete on the birthday itself; someone born on 29 February completes it on
    1 March in common years (the day after 28 February), not a day early.
    """
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def ineligibility(period: ServicePeriod, application: Application, submission_day: date) -> Ineligible | None:
    """None if the applicant may apply in `period` on `submission_day`, else the first reason not."""
    if period.categories is None:
        return None
    eligible = ", ".join(c.code for c in period.categories)
    if application.category is None:
        return Ineligible(
            Refusal.CATEGORY_REQUIRED, "category", f"period {period.id} admits only these categories: {eligible}"
        )
    category = period.category(application.category)
    if category is None:
        return Ineligible(
            Refusal.CATEGORY_NOT_ELIGIBLE,
            "category",
            f"{application.category!r} may not apply in period {period.id}; eligible: {eligible}",
        )
    birth_date = application.applicant.birth_date
    if category.age_rule is not None and not category.age_rule.admits(age_on(birth_date, submission_day)):
        return Ineligible(
            Refusal.AGE_REQUIREMENT_NOT_MET,
            "applicant.birth_date",
            f"{category.code} needs an applicant {category.age_rule} on {submission_day.isoformat()}",
        )
    if not category.supporting_documents:
        return None
    accepted = " or ".join(category.supporting_documents)
    document = application.supporting_document
    if document is None:
        return Ineligible(
            Refusal.SUPPORTING_DOCUMENT_MISSING, "supporting_document", f"{category.code} needs a {accepted}"
        )
    if document.kind not in category.supporting_documents:
        return Ineligible(
            Refusal.SUPPORTING_DOCUMENT_INVALID,
            "supporting_document.kind",
            f"{document.kind!r} does not prove {category.code}; it needs a {accepted}",
        )
    if document.issued_on > submission_day:
        return Ineligible(
            Refusal.SUPPORTING_DOCUMENT_INVALID,
            "supporting_document.issued_on",
            "the supporting document is dated after the submission",
        )
    return None
