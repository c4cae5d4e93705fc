"""Whether the applicant's data meet what the law needs to form an IIN for a foreigner."""

from datetime import date

from iin_models.application import Application
from iin_models.decisions import Finding
from iin_models.enums import RejectionReason

# The IIN's century digit covers births from 1800 to 2099; nobody alive was born before 1870.
OLDEST_PLAUSIBLE_BIRTH = date(1870, 1, 1)
LATEST_ENCODABLE_BIRTH = date(2099, 12, 31)
KAZAKHSTAN = "KZ"


def _not_met(code: str, field: str, message: str) -> Finding:
    return Finding(reason=RejectionReason.REQUIREMENTS_NOT_MET, code=code, field=field, message=message)


def requirement_findings(application: Application, submission_day: date) -> list[Finding]:
    """Every reason the applicant's data fail the requirements on `submission_day`."""
    applicant = application.applicant
    findings: list[Finding] = []
    if applicant.citizenship == KAZAKHSTAN:
        findings.append(
            _not_met(
                "not_a_foreigner",
                "applicant.citizenship",
                "citizens of Kazakhstan get their IIN at home, not as foreigners",
            )
        )
    if applicant.birth_date > submission_day:
        findings.append(_not_met("birth_date_in_future", "applicant.birth_date", "the birth date is after submission"))
    elif applicant.birth_date < OLDEST_PLAUSIBLE_BIRTH or applicant.birth_date > LATEST_ENCODABLE_BIRTH:
        findings.append(
            _not_met("birth_date_implausible", "applicant.birth_date", "the birth date is outside plausible range")
        )
    return findings
