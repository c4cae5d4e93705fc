"""Auditing after Temporal has deleted a history: `iin audit` and `iin replay` read the archive instead.

Deleting a workflow takes the dev server about half a minute, so one application is ended, archived,
audited from Temporal and deleted once for the module.
"""

import base64
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from typer.testing import Result

from activities.archive import sweep
from codec.aesgcm import ENCODING
from codec.converter import build_data_converter
from codec.keys import KeyRing, new_key_entry
from db.archive import find
from schemas.contract import workflow_id
from tests.archive.support import ended_application
from tests.toolkit.commands import run_iin
from tests.toolkit.waiting import eventually
from workers.worker import build_worker

KEYS = new_key_entry("audit-test")


@dataclass(frozen=True)
class Deleted:
    """An application archived, then deleted from Temporal; what `iin audit` printed before the deletion."""

    application_id: UUID
    ended_after: datetime
    audit_from_temporal: Result


def command_env(monkeypatch: pytest.MonkeyPatch, dev_env: WorkflowEnvironment, database_dsn: str) -> None:
    """The commands' settings: the session's database, the dev server, the sealed worker's codec keys."""
    monkeypatch.setenv("DATABASE_URL", database_dsn)
    monkeypatch.setenv("TEMPORAL_ADDRESS", dev_env.client.service_client.config.target_host)
    monkeypatch.setenv("CODEC_KEYS", KEYS)
    monkeypatch.setenv("COLUMNS", "250")


async def deleted_from_temporal(client: Client, application_id: UUID) -> None:
    """Delete the application's workflow as retention would, and wait until Temporal no longer has it."""
    execution = WorkflowExecution(workflow_id=workflow_id(application_id))
    await client.workflow_service.delete_workflow_execution(
        DeleteWorkflowExecutionRequest(namespace=client.namespace, workflow_execution=execution)
    )

    async def gone() -> bool:
        try:
            await client.get_workflow_handle(workflow_id(application_id)).fetch_history()
        except RPCError as error:
            return error.status == RPCStatusCode.NOT_FOUND
        return False

    await eventually(gone, bool, within=90, every=1.0)


@pytest_asyncio.fixture(scope="module")
async def deleted(dev_env: WorkflowEnvironment, pool: asyncpg.Pool, database_dsn: str) -> AsyncIterator[Deleted]:
    """Ended on a worker sealing payloads with the codec (as in production), archived, audited, deleted."""
    sealed = await Client.connect(
        dev_env.client.service_client.config.target_host,
        namespace=dev_env.client.namespace,
        data_converter=build_data_converter(KeyRing.parse(KEYS)),
    )
    queue = f"iin-test-sealed-{uuid.uuid4()}"
    async with build_worker(sealed, pool, queue):
        application_id = await ended_application(sealed, pool, queue)
    # The archive dates a history by Temporal's close time: the server's clock, not ours (tests/timetravel.py).
    closed_at = (await sealed.get_workflow_handle(workflow_id(application_id)).describe()).close_time
    assert closed_at is not None
    ended_after = closed_at - timedelta(seconds=1)
    await sweep(sealed, pool)
    with pytest.MonkeyPatch.context() as monkeypatch:
        command_env(monkeypatch, dev_env, database_dsn)
        before = await run_iin("audit", str(application_id))
    await deleted_from_temporal(sealed, application_id)
    yield Deleted(application_id, ended_after, before)


@pytest.fixture
def on_the_dev_server(
    cli_env: pytest.MonkeyPatch, dev_env: WorkflowEnvironment, database_dsn: str
) -> pytest.MonkeyPatch:
    command_env(cli_env, dev_env, database_dsn)
    return cli_env


async def test_the_archive_keeps_payloads_sealed_by_the_codec(deleted: Deleted, pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        row = await find(conn, deleted.application_id)

    assert row is not None
    started = json.loads(row.history)["events"][0]["workflowExecutionStartedEventAttributes"]
    payload = started["input"]["payloads"][0]
    assert base64.b64decode(payload["metadata"]["encoding"]) == ENCODING
    assert str(deleted.application_id).encode() not in base64.b64decode(payload["data"])


@pytest.mark.usefixtures("on_the_dev_server")
async def test_audit_prints_the_same_timeline_and_replays_once_temporal_has_deleted_the_history(
    deleted: Deleted,
) -> None:
    result = await run_iin("audit", str(deleted.application_id))

    assert result.exit_code == 0, result.output
    assert "history from the archive" in result.stderr
    assert result.stdout == deleted.audit_from_temporal.stdout
    assert "ended certificate_issued" in result.stdout and "replays on the current code: yes" in result.stdout


@pytest.mark.usefixtures("on_the_dev_server")
async def test_audit_json_reads_the_archive_too(deleted: Deleted) -> None:
    result = await run_iin("audit", str(deleted.application_id), "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["replays_on_current_code"] is True
    assert report["timeline"][0]["detail"]["application_id"] == str(deleted.application_id)


@pytest.mark.usefixtures("on_the_dev_server")
async def test_replay_of_an_archived_range_replays_histories_temporal_deleted(deleted: Deleted) -> None:
    since = deleted.ended_after.strftime("%Y-%m-%dT%H:%M:%S")

    result = await run_iin("replay", "--archive", "--since", since)

    assert result.exit_code == 0, result.output
    replayed = int(result.stdout.strip().splitlines()[-1].split()[0])
    assert replayed >= 1 and result.stdout.strip().endswith("replayed, 0 not replayable")


@pytest.mark.usefixtures("on_the_dev_server")
async def test_audit_of_an_application_neither_place_has_exits_2() -> None:
    result = await run_iin("audit", str(uuid.uuid4()))

    assert result.exit_code == 2
    assert "neither Temporal nor the archive" in result.stderr
