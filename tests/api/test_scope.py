"""Scope: an establishment's key sees and acts on its own applications only; an operator's sees all."""

import httpx

from iin_models.api import ApplicationPage
from iin_models.status import ApplicationStatus
from tests.factories import make_application
from tests.toolkit.api import BEIJING, Keys, bearer, final_status, submit


async def test_another_establishments_application_answers_not_found(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    paths = [
        ("GET", f"/v1/applications/{status.application_id}", None),
        ("GET", f"/v1/certificates/{status.certificate_number}", None),
        ("GET", f"/v1/applications/{status.application_id}/rejection-notice", None),
        ("POST", f"/v1/applications/{status.application_id}/withdraw", {"requested_by": "x", "reason": "test"}),
    ]
    answers = [await http.request(m, p, json=body, headers=bearer(keys.beijing)) for m, p, body in paths]
    assert [a.status_code for a in answers] == [404] * len(paths)


async def test_the_establishment_that_filed_it_sees_it(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    answer = await http.get(f"/v1/applications/{status.application_id}", headers=bearer(keys.ankara))
    assert ApplicationStatus.model_validate_json(answer.content).iin == status.iin


async def test_an_establishment_lists_its_own_applications_only(http: httpx.AsyncClient, keys: Keys) -> None:
    at_ankara = await final_status(http, make_application(), keys.ankara)
    at_beijing = await final_status(http, make_application(establishment_id=BEIJING), keys.beijing)
    answer = await http.get("/v1/applications", params={"limit": 200}, headers=bearer(keys.beijing))
    page = ApplicationPage.model_validate_json(answer.content)
    assert {item.establishment_id for item in page.items} == {BEIJING}
    assert at_beijing.application_id in {i.application_id for i in page.items}
    assert at_ankara.application_id not in {i.application_id for i in page.items}


async def test_an_establishment_filtering_by_another_gets_nothing(http: httpx.AsyncClient, keys: Keys) -> None:
    await final_status(http, make_application(), keys.ankara)
    answer = await http.get(
        "/v1/applications", params={"establishment_id": "emb-tr-ankara"}, headers=bearer(keys.beijing)
    )
    assert ApplicationPage.model_validate_json(answer.content).items == []


async def test_an_operator_sees_every_establishments_applications(http: httpx.AsyncClient, keys: Keys) -> None:
    statuses = [
        await final_status(http, make_application(), keys.ankara),
        await final_status(http, make_application(establishment_id=BEIJING), keys.beijing),
    ]
    answers = [await http.get(f"/v1/applications/{s.application_id}", headers=bearer(keys.operator)) for s in statuses]
    assert [a.status_code for a in answers] == [200, 200]


async def test_an_establishment_may_not_submit_for_another(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await submit(http, make_application(establishment_id=BEIJING), keys.ankara)
    assert answer.status_code == 403
    assert answer.json()["type"] == "https://iin.example/problems/forbidden"
