"""A worker process killed with SIGKILL mid-run, and started again: every application still ends, once."""

import time
import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client

from tests.factories import make_application
from tests.faults.harness import submit_all, terminal_count, wait_until_closed, when_some_terminal, worker_process
from tests.faults.invariants import check_invariants

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
APPLICATIONS = 200


async def test_applications_survive_a_worker_killed_mid_run(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-faults-{uuid.uuid4()}"
    address = client.service_client.config.target_host
    with worker_process(address, client.namespace, database_dsn, queue, tmp_path) as worker:
        await worker.ready()
        ids = await submit_all(client, pool, [make_application() for _ in range(APPLICATIONS)], queue)
        await when_some_terminal(pool, ids, at_least=APPLICATIONS // 10)
        worker.kill()
        ended_before_kill = await terminal_count(pool, ids)
        assert ended_before_kill < APPLICATIONS, "the kill came after the run: nothing was in flight"

        started = time.monotonic()
        worker.start()
        await worker.ready()
        await wait_until_closed(client, ids, within=90)
        print(f"faults: sigkill: ended_before_kill={ended_before_kill} recovered_in={time.monotonic() - started:.1f}s")

    counts = await check_invariants(client, pool, [[i] for i in ids], "sigkill")
    counts.assert_sound()
    assert counts.states == {"certificate_issued": APPLICATIONS}
