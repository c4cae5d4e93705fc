"""Scope beyond tests/api/test_scope.py: another establishment learns nothing, not even that an application exists."""

import uuid

import httpx

from tests.factories import make_application
from tests.toolkit.api import BEIJING, Keys, bearer, final_status, submit


def _without_instance(problem: dict[str, object], application_id: object) -> dict[str, object]:
    return {k: str(v).replace(str(application_id), "<id>") for k, v in problem.items() if k != "instance"}


async def test_another_establishments_application_looks_exactly_like_none(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    unknown = uuid.uuid4()

    theirs = await http.get(f"/v1/applications/{status.application_id}", headers=bearer(keys.beijing))
    nobodys = await http.get(f"/v1/applications/{unknown}", headers=bearer(keys.beijing))

    assert theirs.status_code == nobodys.status_code == 404
    assert _without_instance(theirs.json(), status.application_id) == _without_instance(nobodys.json(), unknown)


async def test_reusing_another_establishments_id_reveals_nothing_of_it(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    clash = make_application(application_id=status.application_id, establishment_id=BEIJING)

    answer = await submit(http, clash, keys.beijing)

    assert answer.status_code == 409
    text = answer.text
    assert "emb-tr-ankara" not in text and status.state.value not in text and str(status.iin) not in text
