"""Property-based runs of schemathesis over the OpenAPI document: no 5xx, no answer off its schema.

The API runs on a real socket (uvicorn on a free port) over the real stack; schemathesis runs as its
CLI in a subprocess, so the event loop keeps serving while it sends its requests. One run fuzzes
everything; another fixes the path parameters to a real application and its certificate, so the
answers for existing resources (status, PDF, verification) are checked against the document too.
"""

import asyncio
import sys
from pathlib import Path

import httpx

from tests.factories import make_application
from tests.toolkit.api import Keys, final_status

ST = str(Path(sys.executable).parent / "st")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


async def _schemathesis(live_api: str, token: str, config: Path | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        ST,
        *(["--config-file", str(config)] if config else []),
        "run",
        f"{live_api}/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "15",
        "--seed",
        "20261125",
        "--header",
        f"Authorization: Bearer {token}",
        "--request-timeout",
        "20",
        "--no-color",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=110)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")[-6000:]


async def test_fuzzing_every_operation_finds_no_server_error_and_no_schema_violation(live_api: str, keys: Keys) -> None:
    code, output = await _schemathesis(live_api, keys.operator)
    assert code == 0, output


async def test_answers_about_existing_resources_match_the_document(
    live_api: str, http: httpx.AsyncClient, keys: Keys, tmp_path: Path
) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f'[parameters]\napplication_id = "{status.application_id}"\nnumber = "{status.certificate_number}"\n',
        encoding="utf-8",
    )
    code, output = await _schemathesis(live_api, keys.ankara, config)
    assert code == 0, output
