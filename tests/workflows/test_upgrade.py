"""An application started by a released worker finishes on today's code: the rolling deploy, for real.

Each released version is the code that recorded its histories in tests/histories (the commit that
added them). Its worker runs from a `git archive` of that commit, against the same PostgreSQL and
Temporal, until an application waits for an officer; then it stops, today's worker takes over, and the
officer's verdict, the IIN and the certificate are done by the new code on the old history.
"""

import json
import os
import subprocess
import sys
import tarfile
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client, WorkflowHandle

from clock import SYSTEM_CLOCK
from config.settings import REPO_ROOT
from db.applications import find_status
from iin_models.application import Applicant, Application
from iin_models.enums import ApplicationState, ReviewVerdict
from iin_models.review import ReviewDecision
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE, STATUS_QUERY, ApplicationInput
from service.intake import resolve, start
from tests.factories import make_application
from tests.toolkit.waiting import eventually
from tests.workflows.test_replay import patches_of
from workers.embedded import stop_process
from workers.worker import build_worker
from workflows.application import PATCHES

HISTORIES = REPO_ROOT / "tests" / "histories"


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, check=True, capture_output=True).stdout


def released_commits() -> dict[str, str]:
    """Each release (the prefix of its histories) and the commit that recorded its histories."""
    releases = sorted({path.name.split("-", 1)[0] for path in HISTORIES.glob("*-certificate.json")})
    return {
        release: _git("log", "--diff-filter=A", "--format=%H", "--", f"tests/histories/{release}-certificate.json")
        .decode()
        .split()[-1]
        for release in releases
    }


def _patches_at(commit: str) -> set[str]:
    source = _git("show", f"{commit}:workflows/application.py").decode()
    return {patch for patch in PATCHES if f'"{patch}"' in source}


# Releases older than today's patches: today's code must finish what their workers started.
OLDER_RELEASES = {
    release: commit for release, commit in released_commits().items() if _patches_at(commit) < set(PATCHES)
}


@contextmanager
def released_worker(commit: str, tmp_path: Path, database_dsn: str, address: str, queue: str) -> Iterator[None]:
    """`iin worker` of `commit`, from its own source tree, configured by its environment only."""
    source = tmp_path / commit[:12]
    with tarfile.open(fileobj=BytesIO(_git("archive", "--format=tar", commit))) as archive:
        archive.extractall(source, filter="data")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CODEC_", "TEMPORAL_", "DATABASE_", "PYTHON"))},
        "DATABASE_URL": database_dsn,
        "TEMPORAL_ADDRESS": address,
        "TEMPORAL_CONFIG_FILE": str(tmp_path / "absent.toml"),
        "TASK_QUEUE": queue,
        "DATA_DIR": str(tmp_path),
        "CODEC_ALLOW_PLAINTEXT": "true",  # the tests' clients use plain pydantic JSON (docs/testing.md)
        "WORKER_HEALTH_PORT": "0",
        "WORKER_METRICS_PORT": "0",
    }
    log = tmp_path / f"worker-{commit[:12]}.log"
    with log.open("wb") as out:
        # The release's own `iin` entry point, run from its tree: its packages come first on sys.path,
        # ahead of today's install.
        module, _, attribute = tomllib.loads((source / "pyproject.toml").read_text())["project"]["scripts"][
            "iin"
        ].partition(":")
        command = [sys.executable, "-c", f"import {module}; {module}.{attribute}()", "worker"]
        process = subprocess.Popen(command, cwd=source, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        stop_process(process, timeout=15)
        assert process.returncode is not None, log.read_text()


async def as_released_intake_starts(
    client: Client, pool: asyncpg.Pool, application: Application, queue: str
) -> WorkflowHandle[object, ApplicationStatus]:
    """Start `application` with the input the releases' intake wrote: every service period then had an end.

    Open-ended periods (migration 0007) are unknown to those workers, which is why workers are deployed
    before the API (docs/operations.md).
    """
    data: ApplicationInput = await resolve(pool, application, now=SYSTEM_CLOCK.now())
    period = data.service_period
    if period.ends_on is None:
        period = period.model_copy(update={"ends_on": data.submission_day + timedelta(days=365)})
    return await start(client, data.model_copy(update={"service_period": period}), queue)


async def _state(handle: WorkflowHandle[object, ApplicationStatus]) -> ApplicationStatus:
    status: ApplicationStatus = await handle.query(STATUS_QUERY, result_type=ApplicationStatus)
    return status


async def patches_taken(handle: WorkflowHandle[object, ApplicationStatus]) -> set[str]:
    """The patch ids the history recorded: those of the code that started it."""
    history = await handle.fetch_history()
    return {
        json.loads(event.marker_recorded_event_attributes.details["patch-data"].payloads[0].data)["id"]
        for event in history.events
        if event.HasField("marker_recorded_event_attributes")
        and event.marker_recorded_event_attributes.marker_name == "core_patch"
    }


@pytest.mark.parametrize("release", sorted(OLDER_RELEASES))
async def test_an_application_a_released_worker_started_finishes_on_todays_code(
    release: str, client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-upgrade-{uuid.uuid4()}"
    first = make_application()
    probable = make_application(applicant=Applicant(**(first.applicant.model_dump() | {"citizenship": "DE"})))
    address = client.service_client.config.target_host

    with released_worker(OLDER_RELEASES[release], tmp_path, database_dsn, address, queue):
        formed = await as_released_intake_starts(client, pool, first, queue)
        assert (await formed.result()).state is ApplicationState.CERTIFICATE_ISSUED
        waiting = await as_released_intake_starts(client, pool, probable, queue)
        await eventually(lambda: _state(waiting), lambda s: s.state is ApplicationState.AWAITING_REVIEW, within=60)

    async with build_worker(client, pool, queue):
        verdict = ReviewDecision(officer_id="officer-7", verdict=ReviewVerdict.DIFFERENT_PERSON)
        await waiting.execute_update(REVIEW_UPDATE, verdict)
        final = await waiting.result()

    assert await patches_taken(waiting) == patches_of(HISTORIES / f"{release}-review_different_person.json")
    assert final.state is ApplicationState.CERTIFICATE_ISSUED
    assert final.iin is not None and final.certificate_number is not None
    async with pool.acquire() as conn:
        projected = await find_status(conn, probable.application_id)
    assert projected is not None
    assert (projected.state, projected.iin, projected.certificate_number) == (
        final.state,
        final.iin,
        final.certificate_number,
    )
    assert [t.state for t in projected.transitions] == [t.state for t in final.transitions]
