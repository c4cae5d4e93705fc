"""Replaying stored histories against the current workflow code, to catch non-determinism before release."""

import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client, WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.worker import Replayer

from db.archive import ArchivedHistory
from workers.worker import SANDBOXED_RUNNER
from workflows.application import IINApplicationWorkflow


@dataclass(frozen=True)
class ReplayOutcome:
    """Whether one workflow's history replayed on the current code, and the failure if not."""

    workflow_id: str
    failure: str | None

    @property
    def ok(self) -> bool:
        return self.failure is None


def export_path(out: Path, workflow_id: str) -> Path | None:
    """Where a history is exported: `<out>/<workflow id>.json`; None for an id that names a file elsewhere.

    Workflow ids are chosen by whoever starts the workflow, so one holding a path separator (`../x`)
    must not become a path.
    """
    if not workflow_id or any(character in workflow_id for character in "/\\\x00"):
        return None
    path = out / f"{workflow_id}.json"
    return path if path.resolve().parent == out.resolve() else None


def replayer(converter: DataConverter) -> Replayer:
    """A replayer configured like the worker: same workflows, sandbox and data converter."""
    return Replayer(workflows=[IINApplicationWorkflow], data_converter=converter, workflow_runner=SANDBOXED_RUNNER)


async def replay(
    histories: AsyncIterator[WorkflowHistory],
    converter: DataConverter,
    on_outcome: Callable[[ReplayOutcome], None] = lambda _: None,
) -> list[ReplayOutcome]:
    """Replay every history; report each outcome as it comes."""
    outcomes = []
    async with replayer(converter).workflow_replay_iterator(histories) as results:
        async for result in results:
            failure = result.replay_failure
            outcome = ReplayOutcome(
                result.history.workflow_id, None if failure is None else f"{type(failure).__name__}: {failure}"
            )
            on_outcome(outcome)
            outcomes.append(outcome)
    return outcomes


def history_file(workflow_id: str, history: WorkflowHistory) -> str:
    """The export form: the workflow id beside its history, payloads as stored (still encoded)."""
    return json.dumps({"workflow_id": workflow_id, "history": history.to_json_dict()})


def read_history_file(path: Path) -> WorkflowHistory:
    """A history exported by `iin export`, or a bare history JSON (e.g. from the Temporal CLI) named <id>.json."""
    content = json.loads(path.read_text(encoding="utf-8"))
    if "workflow_id" in content and "history" in content:
        return WorkflowHistory.from_json(content["workflow_id"], content["history"])
    return WorkflowHistory.from_json(path.stem, content)


async def from_memory(histories: Iterable[WorkflowHistory]) -> AsyncIterator[WorkflowHistory]:
    """Histories already at hand."""
    for history in histories:
        yield history


async def from_files(paths: Iterable[Path]) -> AsyncIterator[WorkflowHistory]:
    """Histories read from exported files."""
    for path in paths:
        yield read_history_file(path)


async def from_query(client: Client, query: str) -> AsyncIterator[WorkflowHistory]:
    """Histories of the workflows a visibility query selects."""
    async for history in client.list_workflows(query).map_histories():
        yield history


def archived_history(row: ArchivedHistory) -> WorkflowHistory:
    """The history an archive row holds, as fetched from Temporal when it was archived."""
    return WorkflowHistory.from_json(row.workflow_id, row.history.decode())


async def from_archive(rows: AsyncIterator[ArchivedHistory]) -> AsyncIterator[WorkflowHistory]:
    """Histories read from the archive (db/archive.py)."""
    async for row in rows:
        yield archived_history(row)
