"""Compatibility under /v1: the committed contract keeps every promise of the released one.

Each rule is shown on a copy of the real committed document, changed the way a careless release would.
"""

import copy
import json
from typing import Any

import pytest

from api.compatibility import RELEASED, breaking_changes
from api.document import COMMITTED


@pytest.fixture
def released() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def new(released: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(released)


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def _changes(released: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [str(change) for change in breaking_changes(released, new)]


def test_the_committed_contract_breaks_nothing_of_the_released_one() -> None:
    released = json.loads(RELEASED.read_text(encoding="utf-8"))
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert _changes(released, committed) == [], "a breaking change under /v1: see docs/api.md, Compatibility"


def test_a_removed_path_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    del new["paths"]["/v1/events"]
    assert _changes(released, new) == ["/v1/events: path removed"]


def test_a_removed_operation_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    del new["paths"]["/v1/applications"]["get"]
    assert _changes(released, new) == ["GET /v1/applications: operation removed"]


def test_a_field_removed_from_an_answer_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    del _schemas(new)["ApplicationStatus"]["properties"]["iin"]
    assert "GET /v1/applications/{application_id} response 200.iin: field removed" in _changes(released, new)


def test_a_field_callers_send_made_required_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["Applicant"]["required"].append("patronymic")
    assert "POST /v1/applications body.applicant.patronymic: now required" in _changes(released, new)


def test_an_enumeration_value_removed_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["RejectionReason"]["enum"].remove("already_registered")
    assert any("enumeration value 'already_registered' removed" in change for change in _changes(released, new))


def test_a_tighter_bound_on_what_callers_send_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["Applicant"]["properties"]["surname"]["maxLength"] = 50
    assert "POST /v1/applications body.applicant.surname: maxLength changed from 100 to 50" in _changes(released, new)


def test_a_type_no_longer_accepted_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["Applicant"]["properties"]["surname"] = {"type": "integer"}
    assert "POST /v1/applications body.applicant.surname: string no longer accepted" in _changes(released, new)


def test_an_answer_field_that_may_now_be_null_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["ApplicationStatus"]["properties"]["state"] = {
        "anyOf": [{"$ref": "#/components/schemas/ApplicationState"}, {"type": "null"}]
    }
    assert "GET /v1/applications/{application_id} response 200.state: may now be null" in _changes(released, new)


def test_a_removed_query_parameter_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    parameters = new["paths"]["/v1/applications"]["get"]["parameters"]
    parameters[:] = [parameter for parameter in parameters if parameter["name"] != "breached"]
    assert _changes(released, new) == ["GET /v1/applications query parameter 'breached': parameter removed"]


def test_a_removed_webhook_breaks(released: dict[str, Any], new: dict[str, Any]) -> None:
    del new["webhooks"]["application-event"]
    assert _changes(released, new) == ["webhook application-event: webhook removed"]


def test_a_new_optional_field_callers_may_send_passes(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["Applicant"]["properties"]["place_of_birth"] = {"type": "string", "maxLength": 100}
    assert _changes(released, new) == []


def test_a_new_answer_field_and_a_new_path_pass(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["ApplicationStatus"]["properties"]["formed_at"] = {"type": "string", "format": "date-time"}
    new["paths"]["/v1/statistics"] = {"get": {"responses": {"200": {"description": "figures"}}}}
    assert _changes(released, new) == []


def test_a_new_event_type_passes(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["EventType"]["enum"].append("application.certificate_revoked")
    assert _changes(released, new) == []


def test_a_looser_bound_on_what_callers_send_passes(released: dict[str, Any], new: dict[str, Any]) -> None:
    _schemas(new)["Applicant"]["properties"]["surname"]["maxLength"] = 200
    assert _changes(released, new) == []
