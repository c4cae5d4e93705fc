"""No personal data in the logs at INFO: a full run through the API, intake and the worker, then a search."""

import logging

import httpx
import pytest

from iin_models.application import Application
from iin_models.status import ApplicationStatus
from tests.factories import make_applicant, make_application, make_document
from tests.toolkit.api import Keys, bearer, final_status, submit
from tests.toolkit.waiting import eventually


def _personal_data(*applications: Application) -> set[str]:
    """What identifies the applicants: names and document numbers, as filed and in capitals."""
    found = set()
    for application in applications:
        applicant = application.applicant
        for value in (applicant.surname, applicant.given_names, application.document.number):
            found |= {value, value.upper()}
    return found


async def test_a_full_run_logs_no_names_or_document_numbers_at_info(
    http: httpx.AsyncClient, keys: Keys, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.INFO)
    person = make_applicant()
    issued = make_application(applicant=person)
    unreliable = make_application(original_compared=False)
    # The same name and birth date under another citizenship: a probable duplicate, sent to review.
    namesake = make_application(
        applicant=make_applicant(
            surname=person.surname, given_names=person.given_names, birth_date=person.birth_date, citizenship="DE"
        ),
        document=make_document(issuing_state="DE"),
    )
    malformed = issued.model_dump(mode="json") | {"application_id": str(namesake.application_id)}
    malformed["applicant"] = malformed["applicant"] | {"birth_date": f"{person.surname} {issued.document.number}"}

    certificate = await final_status(http, issued, keys.ankara)
    await final_status(http, unreliable, keys.ankara)
    assert (await http.post("/v1/applications", json=malformed, headers=bearer(keys.ankara))).status_code == 422
    assert (await submit(http, namesake, keys.operator)).status_code == 202

    async def namesake_status() -> ApplicationStatus:
        answer = await http.get(f"/v1/applications/{namesake.application_id}", headers=bearer(keys.operator))
        return ApplicationStatus.model_validate_json(answer.content)

    await eventually(namesake_status, lambda s: s.state.value == "awaiting_review")
    review = {"officer_id": "officer-17", "verdict": "different_person", "note": "checked the photo"}
    path = f"/v1/applications/{namesake.application_id}/review"
    assert (await http.post(path, json=review, headers=bearer(keys.reviewer))).status_code == 200
    assert (
        await http.get(f"/v1/certificates/{certificate.certificate_number}", headers=bearer(keys.ankara))
    ).is_success

    records = [r for r in caplog.records if r.levelno >= logging.INFO]
    text = "\n".join([f"{r.getMessage()} {r.exc_text or ''} {r.__dict__}" for r in records] + list(capfd.readouterr()))
    leaked = {value for value in _personal_data(issued, unreliable, namesake) if value in text}
    print(f"security: logs: records={len(records)} chars={len(text)} leaked={sorted(leaked)}")
    assert records, "nothing was logged: the capture is not looking at the run"
    assert leaked == set()
