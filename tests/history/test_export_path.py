"""`iin export` names its files after workflow ids, which whoever starts a workflow chooses."""

import uuid
from pathlib import Path

import pytest
from temporalio.client import Client

from history.replay import export_path
from tests.toolkit.api import idle_queue
from tests.toolkit.commands import run_iin
from tests.toolkit.waiting import eventually


def test_an_application_history_is_exported_into_the_folder(tmp_path: Path) -> None:
    workflow_id = "iin-application-5cc2a3c4-0d0e-4a57-9f4a-1b2c3d4e5f60"

    assert export_path(tmp_path, workflow_id) == tmp_path / f"{workflow_id}.json"


@pytest.mark.parametrize("workflow_id", ["../x", "../../etc/cron.d/x", "a/b", "..\\x", "/tmp/x", "x\x00y", ""])
def test_an_id_that_would_name_a_file_outside_the_folder_is_refused(tmp_path: Path, workflow_id: str) -> None:
    assert export_path(tmp_path, workflow_id) is None


async def test_export_writes_nothing_outside_the_folder_for_a_crafted_id(
    client: Client, cli_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    crafted = f"../escaped-{uuid.uuid4()}"
    await client.start_workflow("IINApplicationWorkflow", id=crafted, task_queue=idle_queue())
    query = f"WorkflowId = '{crafted}'"
    await eventually(lambda: client.count_workflows(query), lambda counted: counted.count == 1)
    cli_env.setenv("TEMPORAL_ADDRESS", client.service_client.config.target_host)
    cli_env.setenv("TEMPORAL_NAMESPACE", client.namespace)
    cli_env.setenv("DATABASE_URL", "postgresql://iin@127.0.0.1:1/unused")
    out = tmp_path / "export"

    result = await run_iin("export", "--out", str(out), "--query", query)

    assert result.exit_code == 1, result.output
    assert "not exported" in result.output
    assert not (tmp_path / f"{crafted.removeprefix('../')}.json").exists()
    await client.get_workflow_handle(crafted).terminate(reason="test done")
