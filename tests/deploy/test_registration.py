"""Preparing a namespace: retention set explicitly, search attributes registered, both idempotent."""

import asyncio
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client

from commands.archive import SCHEDULE_ID
from workers.registration import ensure_namespace
from workflows.search_attributes import ALL_KEYS

IIN = str(Path(sys.executable).with_name("iin"))


async def _retention(client: Client, namespace: str) -> timedelta:
    described = await client.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=namespace))
    return described.config.workflow_execution_retention_ttl.ToTimedelta()


async def test_a_missing_namespace_is_created_with_the_retention(client: Client) -> None:
    namespace = f"iin-test-{uuid.uuid4().hex[:8]}"

    change = await ensure_namespace(client, namespace, timedelta(days=3))

    assert change == "created"
    assert await _retention(client, namespace) == timedelta(days=3)


async def test_the_retention_of_an_existing_namespace_is_set_and_then_left(client: Client) -> None:
    original = await _retention(client, client.namespace)
    try:
        changes = [await ensure_namespace(client, client.namespace, original + timedelta(days=2)) for _ in range(2)]

        assert changes == ["updated", "unchanged"]
        assert await _retention(client, client.namespace) == original + timedelta(days=2)
    finally:
        await ensure_namespace(client, client.namespace, original)


async def test_the_command_prepares_a_new_namespace_for_the_service(client: Client, tmp_path: Path) -> None:
    namespace = f"iin-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,  # PATH and the like; what the command reads is set below
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "TEMPORAL_NAMESPACE": namespace,
        "TEMPORAL_NAMESPACE_RETENTION_DAYS": "7",
        "TEMPORAL_CONFIG_FILE": str(tmp_path / "absent.toml"),
        "CODEC_ALLOW_PLAINTEXT": "true",  # the tests' clients use plain pydantic JSON (docs/testing.md)
    }

    done = await asyncio.to_thread(
        subprocess.run,
        [IIN, "prepare-namespace"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )

    assert done.returncode == 0, done.stderr
    listed = await client.operator_service.list_search_attributes(ListSearchAttributesRequest(namespace=namespace))
    assert {key.name for key in ALL_KEYS} <= set(listed.custom_attributes)
    assert await _retention(client, namespace) == timedelta(days=7)
    in_namespace = Client(client.service_client, namespace=namespace)
    assert (await in_namespace.get_schedule_handle(SCHEDULE_ID).describe()).id == SCHEDULE_ID
