"""Liveness and readiness on the real stack."""

import httpx

from iin_models.api import Health


async def test_liveness_answers_ok(http: httpx.AsyncClient) -> None:
    answer = await http.get("/healthz")
    assert (answer.status_code, Health.model_validate_json(answer.content).status) == (200, "ok")


async def test_readiness_checks_postgresql_and_temporal(http: httpx.AsyncClient) -> None:
    answer = await http.get("/readyz")
    assert answer.status_code == 200
    assert Health.model_validate_json(answer.content).checks == {"postgresql": "ok", "temporal": "ok"}
