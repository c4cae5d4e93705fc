"""The committed contract (docs/openapi.json) is the document the running API serves."""

import json

import httpx

from api.document import COMMITTED


async def test_the_served_document_is_the_committed_one(http: httpx.AsyncClient) -> None:
    served = (await http.get("/openapi.json")).json()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served == committed, "the API's contract changed: run `make openapi` and commit docs/openapi.json"
