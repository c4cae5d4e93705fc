"""Schemathesis over the OpenAPI document, every check, examples, coverage and fuzzing phases: nothing found.

The API runs on a real socket (uvicorn on a free port) over the real stack; schemathesis runs as its
CLI in a subprocess, so the event loop keeps serving while it sends its requests. The path parameters
are fixed to a real application and its certificate, so the answers for existing resources (status,
PDF, verification) are checked against the document too; random ids of the coverage and fuzzing
phases would meet only 404s.

What a schema cannot say is given to schemathesis here, each for a stated reason:
- cursors are opaque: valid only if this API gave them out, so each list's cursor is one it gave out;
- `wait` is held at 0: a long poll would hold each request up to 60 s (tests/events follows it);
- a submission's cross-field and reference-data rules (an establishment that exists, a document
  valid on the day, dates in order) and a webhook URL's resolution and network policy are decided by
  the service, answered 422 with their own problem `type`s (docs/api.md): 422 is an expected answer
  to schema-valid data there, and only there. The per-field constraints of those bodies are checked
  against the types that enforce them by tests/schemas/test_json_schema_agrees.py.
"""

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from api import applications, events, reviews
from db.applications import PagePosition
from db.reviews import QueuePosition
from tests.factories import make_application
from tests.toolkit.api import Keys, final_status

# The coverage phase alone sends about 1,700 requests: 30-90 s on 2 cores, by how busy they are. One
# worker: with several, hypothesis's lambda descriptions (ast.parse in threads) failed once, SystemError.
pytestmark = pytest.mark.timeout(240)
ST = str(Path(sys.executable).parent / "st")
ST_SECONDS = 200
ACCEPTED_OR_REFUSED_BY_RULE = '["2xx", "3xx", "401", "403", "404", "409", "422", "429"]'


def _config(application_id: UUID, certificate: str, submitted_at: datetime) -> str:
    # An application cursor and a queue cursor as the API would give them out after a real row.
    page = applications.encode_cursor(PagePosition(submitted_at, application_id))
    queue = reviews.encode_cursor(QueuePosition(submitted_at, submitted_at, application_id))
    return f"""
[parameters]
application_id = "{application_id}"
number = "{certificate}"

[[operations]]
include-name = "GET /v1/applications"
parameters = {{ cursor = "{page}" }}

[[operations]]
include-name = "GET /v1/reviews"
parameters = {{ cursor = "{queue}" }}

[[operations]]
include-name = "GET /v1/events"
parameters = {{ after = "{events.encode_cursor(0)}", wait = "0" }}

[[operations]]
include-name = "POST /v1/applications"
checks.positive_data_acceptance.expected-statuses = {ACCEPTED_OR_REFUSED_BY_RULE}

[[operations]]
include-name = "POST /v1/webhooks"
checks.positive_data_acceptance.expected-statuses = {ACCEPTED_OR_REFUSED_BY_RULE}
"""


async def test_schemathesis_finds_nothing_with_every_check_in_every_phase(
    live_api: str, http: httpx.AsyncClient, keys: Keys, tmp_path: Path
) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        _config(status.application_id, str(status.certificate_number), status.submitted_at),
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        ST,
        "--config-file",
        str(config),
        "run",
        f"{live_api}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        "5",
        "--seed",
        "20261125",
        "--header",
        f"Authorization: Bearer {keys.operator}",
        "--request-timeout",
        "20",
        "--no-color",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=ST_SECONDS)
    assert process.returncode == 0, output.decode(errors="replace")[-8000:]
