"""Whether the applicant's data meet the requirements for forming a foreigner's IIN."""

from datetime import date

from iin_models.enums import RejectionReason
from rules.requirements import requirement_findings
from tests.factories import make_applicant, make_application

SUBMISSION = date(2024, 6, 3)


def codes_for(citizenship: str = "TR", birth_date: date = date(1985, 3, 14), day: date = SUBMISSION) -> list[str]:
    filed = make_application(applicant=make_applicant(citizenship=citizenship, birth_date=birth_date))
    return [finding.code for finding in requirement_findings(filed, day)]


def test_foreigner_with_a_plausible_birth_date_meets_the_requirements() -> None:
    assert codes_for() == []


def test_citizen_of_kazakhstan_is_not_a_foreigner() -> None:
    filed = make_application(applicant=make_applicant(citizenship="KZ", birth_date=date(1985, 3, 14)))
    [finding] = requirement_findings(filed, SUBMISSION)
    assert finding.code == "not_a_foreigner"
    assert finding.field == "applicant.citizenship"
    assert finding.reason is RejectionReason.REQUIREMENTS_NOT_MET


def test_citizenship_given_in_lower_case_is_still_kazakh() -> None:
    assert codes_for(citizenship="kz") == ["not_a_foreigner"]


def test_citizen_of_a_minsk_party_is_a_foreigner() -> None:
    assert codes_for(citizenship="RU") == []


def test_birth_date_after_the_submission_day_is_in_the_future() -> None:
    filed = make_application(applicant=make_applicant(birth_date=date(2024, 6, 4)))
    [finding] = requirement_findings(filed, SUBMISSION)
    assert finding.code == "birth_date_in_future"
    assert finding.field == "applicant.birth_date"
    assert finding.reason is RejectionReason.REQUIREMENTS_NOT_MET


def test_child_born_on_the_submission_day_meets_the_requirements() -> None:
    assert codes_for(birth_date=SUBMISSION) == []


def test_birth_before_1870_is_implausible() -> None:
    filed = make_application(applicant=make_applicant(birth_date=date(1869, 12, 31)))
    [finding] = requirement_findings(filed, SUBMISSION)
    assert finding.code == "birth_date_implausible"
    assert finding.field == "applicant.birth_date"


def test_birth_on_1_january_1870_is_plausible() -> None:
    assert codes_for(birth_date=date(1870, 1, 1)) == []


def test_birth_after_2099_cannot_be_encoded_in_an_iin() -> None:
    assert codes_for(birth_date=date(2100, 1, 1), day=date(2100, 6, 1)) == ["birth_date_implausible"]


def test_birth_on_31_december_2099_can_be_encoded() -> None:
    assert codes_for(birth_date=date(2099, 12, 31), day=date(2100, 6, 1)) == []


def test_birth_date_is_judged_against_the_submission_day_not_today() -> None:
    assert codes_for(birth_date=date(2024, 6, 4), day=date(2024, 6, 4)) == []


def test_every_unmet_requirement_is_reported() -> None:
    assert codes_for(citizenship="KZ", birth_date=date(2024, 6, 4)) == ["not_a_foreigner", "birth_date_in_future"]
