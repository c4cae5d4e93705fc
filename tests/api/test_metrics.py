"""The API's request metrics: labelled by route template and status, never by an id from the path."""

import uuid

import httpx
from prometheus_client import REGISTRY

from api.metrics import UNMATCHED
from tests.toolkit.api import Keys, bearer

REQUESTS = "iin_api_requests_total"


def _count(labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(REQUESTS, labels) or 0.0


async def test_a_request_is_counted_under_its_route_template_and_status(http: httpx.AsyncClient, keys: Keys) -> None:
    labels = {"method": "GET", "route": "/v1/applications/{application_id}", "status": "404"}
    before = _count(labels)

    await http.get(f"/v1/applications/{uuid.uuid4()}", headers=bearer(keys.ankara))

    assert _count(labels) == before + 1


async def test_no_label_holds_the_id_of_the_path(http: httpx.AsyncClient, keys: Keys) -> None:
    wanted = str(uuid.uuid4())

    await http.get(f"/v1/applications/{wanted}", headers=bearer(keys.ankara))

    values = {value for metric in REGISTRY.collect() for sample in metric.samples for value in sample.labels.values()}
    assert not any(wanted in value for value in values)


async def test_a_path_of_no_route_is_counted_as_unmatched(http: httpx.AsyncClient) -> None:
    labels = {"method": "GET", "route": UNMATCHED, "status": "404"}
    before = _count(labels)

    await http.get(f"/wp-admin/{uuid.uuid4()}.php")

    assert _count(labels) == before + 1
