"""Hostile input to the API: every answer is a 4xx problem, never a 5xx; nothing is written and nothing started."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from api.limits import MAX_BODY_BYTES
from db.api_keys import create_key
from tests.security.hostile import HOSTILE_TEXT, RAW_BODIES, encode, mutated_bodies, schema_accepts, valid_body

TABLES = ("applications", "api_submissions", "decisions", "audit_events", "people", "certificates")
FUZZ = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JSON = {"Content-Type": "application/json"}


@dataclass
class Api:
    """The API in-process on a task queue no worker polls, with an operator's key (any establishment)."""

    http: httpx.AsyncClient
    client: Client
    pool: asyncpg.Pool
    queue: str
    auth: dict[str, str]

    async def written(self) -> dict[str, int]:
        """Rows per table that a submission would write."""
        async with self.pool.acquire() as conn:
            return {table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}

    async def started(self) -> int:
        """Workflows started on this API's task queue."""
        return (await self.client.count_workflows(f"TaskQueue = '{self.queue}'")).count


@pytest_asyncio.fixture
async def api(client: Client, pool: asyncpg.Pool) -> AsyncIterator[Api]:
    queue = f"iin-fuzz-{uuid.uuid4()}"
    async with pool.acquire() as conn:
        _, token = await create_key(conn, establishment_id=None, label="fuzz")
    context = ApiContext(client=client, pool=pool, task_queue=queue, public_base_url="http://api.test")
    transport = httpx.ASGITransport(app=create_app(context), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test", timeout=60) as http:
        yield Api(http, client, pool, queue, {"Authorization": f"Bearer {token}"})


def assert_problem(answer: httpx.Response) -> None:
    """A 4xx answer in RFC 9457 form."""
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:500])
    assert answer.headers["content-type"] == "application/problem+json", answer.headers
    problem = answer.json()
    assert problem["status"] == answer.status_code
    assert problem["type"].startswith("https://iin.example/problems/")


async def refused_without_trace(
    api: Api, content: bytes | AsyncIterator[bytes], headers: Mapping[str, str]
) -> httpx.Response:
    """POST `content`; assert a 4xx problem and that no row was written and no workflow started."""
    before = await api.written()
    answer = await api.http.post("/v1/applications", content=content, headers={**api.auth, **headers})
    assert_problem(answer)
    assert await api.written() == before
    assert await api.started() == 0
    return answer


@FUZZ
@given(body=mutated_bodies())
async def test_a_malformed_application_is_a_problem_and_leaves_nothing(api: Api, body: dict[str, Any]) -> None:
    raw = encode(body)
    assume(not schema_accepts(raw))
    await refused_without_trace(api, raw, JSON)


CONTENT_TYPES = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"])


@FUZZ
@given(raw=RAW_BODIES, content_type=CONTENT_TYPES)
async def test_a_body_that_is_not_a_json_application_is_a_problem(api: Api, raw: bytes, content_type: str) -> None:
    assume(content_type != "application/json" or not schema_accepts(raw))
    await refused_without_trace(api, raw, {"Content-Type": content_type})


PATHS = {
    "application": "/v1/applications/{}",
    "notice": "/v1/applications/{}/rejection-notice",
    "certificate": "/v1/certificates/{}",
    "verification": "/v1/certificates/{}/verification",
    "page": "/verify/{}",
}
QUERIES = ["state", "establishment_id", "cursor", "submitted_from", "breached", "limit"]


@FUZZ
@given(value=HOSTILE_TEXT, where=st.sampled_from([*PATHS, *QUERIES]))
async def test_hostile_paths_and_queries_are_problems(api: Api, value: str, where: str) -> None:
    assume(value or where not in PATHS)  # an empty segment is another path (a redirect to the listing)
    value = value[:4000]  # longer URLs are refused by clients and front servers before they reach the API
    escaped = quote(value.encode("utf-8", "surrogatepass"), safe="")  # as any client would percent-encode it
    path = PATHS[where].format(escaped) if where in PATHS else f"/v1/applications?{where}={escaped}"
    answer = await api.http.get(path, headers=api.auth)
    if where == "page":  # for people: an HTML page saying the number was never issued
        assert (answer.status_code, answer.headers["content-type"]) == (404, "text/html; charset=utf-8")
    elif answer.status_code != 200:  # a well-formed filter value lists what matches it
        assert_problem(answer)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_ten_megabyte_body_is_refused_unread(api: Api, declared: bool) -> None:
    body = valid_body()
    body["applicant"]["surname"] = "A" * (10 * 1024 * 1024)
    raw = encode(body)
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for start in range(0, len(raw), 64 * 1024):
            sent += 64 * 1024
            yield raw[start : start + 64 * 1024]
            await asyncio.sleep(0)

    answer = await refused_without_trace(api, raw if declared else chunks(), JSON)

    assert answer.status_code == 413
    assert answer.json()["type"] == "https://iin.example/problems/payload-too-large"
    assert sent <= MAX_BODY_BYTES + 64 * 1024 * 2  # read no further than the limit
