"""Who may apply in a period: category, supporting document, age on the local submission day."""

from datetime import date
from typing import Any

import pytest

from iin_models.application import Application
from rules.eligibility import Refusal, age_on, ineligibility
from schemas.establishment import AgeRule, ApplicantCategory, ServicePeriod
from tests.factories import make_applicant, make_application, make_supporting_document

SPOUSE = ApplicantCategory(
    code="spouse_of_citizen", title_en="Spouse", title_ru="Супруг", supporting_documents=("marriage_certificate",)
)
HEIR = ApplicantCategory(
    code="heir", title_en="Heir", title_ru="Наследник", supporting_documents=("will", "death_certificate")
)
AGED = ApplicantCategory(code="aged_65_plus", title_en="65+", title_ru="65+", age_rule=AgeRule(at_least=65))
CHILD = ApplicantCategory(
    code="child_of_citizen",
    title_en="Child under 16",
    title_ru="Ребёнок до 16",
    supporting_documents=("birth_certificate",),
    age_rule=AgeRule(under=16),
)
LIMITED = ServicePeriod(
    id="pilot-2025", starts_on=date(2025, 4, 18), ends_on=date(2025, 12, 31), categories=(SPOUSE, HEIR, AGED, CHILD)
)
OPEN = ServicePeriod(id="pilot-2024", starts_on=date(2024, 4, 13), ends_on=date(2024, 12, 31))
DAY = date(2025, 6, 10)


def claiming(category: str | None, document: dict[str, Any] | None = None, **applicant: Any) -> Application:
    supporting = make_supporting_document(**document) if document is not None else None
    return make_application(category=category, supporting_document=supporting, applicant=make_applicant(**applicant))


def test_a_period_open_to_every_foreigner_asks_for_no_category() -> None:
    assert ineligibility(OPEN, claiming(None), DAY) is None


def test_a_category_claimed_in_an_open_period_is_not_checked() -> None:
    assert ineligibility(OPEN, claiming("tourist", {"kind": "ticket"}), DAY) is None


def test_a_limited_period_refuses_an_application_without_category() -> None:
    refused = ineligibility(LIMITED, claiming(None), DAY)

    assert refused is not None
    assert (refused.refusal, refused.field) == (Refusal.CATEGORY_REQUIRED, "category")


def test_a_category_the_period_does_not_list_is_refused() -> None:
    refused = ineligibility(LIMITED, claiming("tourist", {"kind": "ticket"}), DAY)

    assert refused is not None
    assert (refused.refusal, refused.field) == (Refusal.CATEGORY_NOT_ELIGIBLE, "category")


def test_an_eligible_category_with_its_document_is_admitted() -> None:
    assert ineligibility(LIMITED, claiming("spouse_of_citizen", {}), DAY) is None


@pytest.mark.parametrize("kind", ["will", "death_certificate"])
def test_any_one_of_the_accepted_documents_proves_the_category(kind: str) -> None:
    assert ineligibility(LIMITED, claiming("heir", {"kind": kind}), DAY) is None


def test_an_eligible_category_without_its_document_is_refused() -> None:
    refused = ineligibility(LIMITED, claiming("spouse_of_citizen"), DAY)

    assert refused is not None
    assert (refused.refusal, refused.field) == (Refusal.SUPPORTING_DOCUMENT_MISSING, "supporting_document")


def test_a_document_of_another_kind_does_not_prove_the_category() -> None:
    refused = ineligibility(LIMITED, claiming("spouse_of_citizen", {"kind": "birth_certificate"}), DAY)

    assert refused is not None
    assert (refused.refusal, refused.field) == (Refusal.SUPPORTING_DOCUMENT_INVALID, "supporting_document.kind")


def test_a_document_issued_after_the_submission_day_is_refused() -> None:
    refused = ineligibility(LIMITED, claiming("spouse_of_citizen", {"issued_on": date(2025, 6, 11)}), DAY)

    assert refused is not None
    assert (refused.refusal, refused.field) == (Refusal.SUPPORTING_DOCUMENT_INVALID, "supporting_document.issued_on")


def test_a_document_issued_on_the_submission_day_is_accepted() -> None:
    assert ineligibility(LIMITED, claiming("spouse_of_citizen", {"issued_on": DAY}), DAY) is None


def test_an_age_category_needs_no_document_beyond_the_identity_document() -> None:
    assert ineligibility(LIMITED, claiming("aged_65_plus", birth_date=date(1950, 1, 1)), DAY) is None


@pytest.mark.parametrize(
    ("submission_day", "admitted"),
    [(date(2025, 6, 9), False), (date(2025, 6, 10), True), (date(2025, 6, 11), True)],
    ids=["day-before-65th-birthday", "65th-birthday", "day-after"],
)
def test_aged_65_or_over_is_judged_on_the_submission_day(submission_day: date, admitted: bool) -> None:
    refused = ineligibility(LIMITED, claiming("aged_65_plus", birth_date=date(1960, 6, 10)), submission_day)

    assert (refused is None) is admitted
    if refused is not None:
        assert (refused.refusal, refused.field) == (Refusal.AGE_REQUIREMENT_NOT_MET, "applicant.birth_date")


@pytest.mark.parametrize(
    ("submission_day", "admitted"),
    [(date(2025, 6, 9), True), (date(2025, 6, 10), False), (date(2025, 6, 11), False)],
    ids=["day-before-16th-birthday", "16th-birthday", "day-after"],
)
def test_under_16_is_judged_on_the_submission_day(submission_day: date, admitted: bool) -> None:
    application = claiming("child_of_citizen", {"kind": "birth_certificate"}, birth_date=date(2009, 6, 10))

    refused = ineligibility(LIMITED, application, submission_day)

    assert (refused is None) is admitted
    if refused is not None:
        assert (refused.refusal, refused.field) == (Refusal.AGE_REQUIREMENT_NOT_MET, "applicant.birth_date")


def test_the_age_is_checked_before_the_document() -> None:
    refused = ineligibility(LIMITED, claiming("child_of_citizen", birth_date=date(2000, 1, 1)), DAY)

    assert refused is not None
    assert refused.refusal is Refusal.AGE_REQUIREMENT_NOT_MET


@pytest.mark.parametrize(
    ("day", "age"),
    [(date(2025, 2, 28), 64), (date(2025, 3, 1), 65), (date(2024, 2, 28), 63), (date(2024, 2, 29), 64)],
)
def test_someone_born_on_29_february_completes_a_year_on_1_march_in_common_years(day: date, age: int) -> None:
    assert age_on(date(1960, 2, 29), day) == age


def test_an_age_rule_needs_exactly_one_bound() -> None:
    with pytest.raises(ValueError):
        AgeRule(at_least=65, under=16)
    with pytest.raises(ValueError):
        AgeRule()
