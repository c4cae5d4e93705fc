"""Stored histories of the released workflow replay on the current code; a careless change does not."""

import json
from datetime import timedelta
from pathlib import Path

from temporalio import workflow
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from typer.testing import CliRunner

from commands.main import app
from history.replay import from_files, read_history_file, replay
from iin_models.status import ApplicationStatus
from schemas.contract import ApplicationInput
from workers.worker import SANDBOXED_RUNNER
from workflows.application import PATCHES, IINApplicationWorkflow

HISTORIES = sorted((Path(__file__).parents[1] / "histories").glob("*.json"))
PATHS = {
    "certificate",
    "documents_unreliable",
    "requirements_not_met",
    "already_registered",
    "review_same_person",
    "review_different_person",
    "withdrawn",
    "breached_in_review",
}


def patches_of(path: Path) -> set[str]:
    """The patch ids a stored history took (core records each as a `core_patch` marker)."""
    ids = set()
    for event in read_history_file(path).events:
        marker = event.marker_recorded_event_attributes
        if event.HasField("marker_recorded_event_attributes") and marker.marker_name == "core_patch":
            ids.add(json.loads(marker.details["patch-data"].payloads[0].data)["id"])
    return ids


def test_histories_are_stored_for_every_released_path() -> None:
    assert {path.stem.split("-", 1)[1] for path in HISTORIES} >= PATHS


def test_histories_of_the_latest_patch_are_stored_for_every_path() -> None:
    latest = {path.stem.split("-", 1)[1] for path in HISTORIES if PATCHES[-1] in patches_of(path)}
    assert latest >= PATHS


async def test_every_stored_history_replays_on_the_current_code() -> None:
    outcomes = await replay(from_files(HISTORIES), pydantic_data_converter)

    assert [o.workflow_id for o in outcomes if not o.ok] == []
    assert len(outcomes) == len(HISTORIES)


@workflow.defn(name="IINApplicationWorkflow", sandboxed=False)
class UnpatchedChange(IINApplicationWorkflow):
    """The released workflow with one step added in front and no `workflow.patched` guard."""

    @workflow.run
    async def run(self, data: ApplicationInput) -> ApplicationStatus:
        await workflow.sleep(timedelta(seconds=1))
        return await super().run(data)


async def test_an_unpatched_change_fails_replay_naming_the_workflow() -> None:
    replayer = Replayer(
        workflows=[UnpatchedChange], data_converter=pydantic_data_converter, workflow_runner=SANDBOXED_RUNNER
    )
    failed = []
    async with replayer.workflow_replay_iterator(from_files(HISTORIES)) as results:
        async for result in results:
            if result.replay_failure is not None:
                failed.append(result.history.workflow_id)

    assert len(failed) == len(HISTORIES)


def test_replay_command_exits_zero_on_the_stored_histories() -> None:
    result = CliRunner().invoke(app, ["replay", str(HISTORIES[0].parent)])

    assert result.exit_code == 0, result.output
    assert f"{len(HISTORIES)} replayed, 0 not replayable" in result.output
