"""The Temporal dev server (file-backed, as `iin up` runs it) restarted mid-run: every application still ends, once."""

import time
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests.factories import make_application
from tests.faults.harness import (
    dev_server,
    submit_all,
    terminal_count,
    wait_until_closed,
    when_some_terminal,
    worker_process,
)
from tests.faults.invariants import check_invariants

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
APPLICATIONS = 200


async def test_applications_survive_a_temporal_restart_mid_run(
    pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-faults-{uuid.uuid4()}"
    async with dev_server() as server:
        client = await server.connect()
        with worker_process(server.address, server.namespace, database_dsn, queue, tmp_path) as worker:
            await worker.ready()
            ids = await submit_all(client, pool, [make_application() for _ in range(APPLICATIONS)], queue)
            await when_some_terminal(pool, ids, at_least=APPLICATIONS // 10)
            server.stop()
            ended_before_restart = await terminal_count(pool, ids)
            assert ended_before_restart < APPLICATIONS, "the restart came after the run: nothing was in flight"

            started = time.monotonic()
            await server.start()
            client = await server.connect()
            await wait_until_closed(client, ids, within=120)
            recovered_in = time.monotonic() - started
            assert worker.process.poll() is None, "the worker gave up while Temporal was away"
        print(f"faults: temporal-restart: ended_before_restart={ended_before_restart} recovered_in={recovered_in:.1f}s")

        counts = await check_invariants(client, pool, [[i] for i in ids], "temporal-restart")
    counts.assert_sound()
    assert counts.states == {"certificate_issued": APPLICATIONS}
