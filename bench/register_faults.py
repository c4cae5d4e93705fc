"""The national register failing under load: an outage with applications in flight, then errors and lost replies.

    python -m bench.register_faults --applications 100 --down-minutes 10 --flaky 1000

Phase 1 takes the register (the simulator) down, submits the applications, keeps it down for the given
minutes and brings it back: every application must end, none lost, no IIN formed twice, a breach recorded
exactly where the deadline passed. Phase 2 runs `--flaky` applications against a register answering 5%
of requests with 503 and losing 1% of formation replies after the commit: no application may get two IINs
and no IIN may go to two applications. Figures go to bench/results/register-faults-<time>.json.
"""

import argparse
import asyncio
import json
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from bench.output import save_figures
from bench.stack import bench_stack
from clock import SYSTEM_CLOCK
from db.pool import create_pool
from iin_models.status import ApplicationStatus
from register.remote import RemoteRegister
from register.serving import running_simulator
from service.intake import submit
from tests.factories import make_application
from workers.worker import WorkerTuning, build_worker


async def _faults(url: str, **switches: Any) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        (await http.put("/_faults", json=switches)).raise_for_status()


async def _run(client: Client, pool: asyncpg.Pool, queue: str, count: int) -> list[tuple[Any, Any]]:
    applications = [make_application() for _ in range(count)]
    handles = []
    for application in applications:
        handles.append((await submit(client, pool, application, queue, now=SYSTEM_CLOCK.now())).handle)
    return list(zip(applications, handles, strict=True))


async def _check(
    store: asyncpg.Pool, pool: asyncpg.Pool, statuses: list[ApplicationStatus], ended_at: float
) -> dict[str, Any]:
    ids = [s.application_id for s in statuses]
    rows = await store.fetch("SELECT application_id, iin FROM people WHERE application_id = ANY($1::uuid[])", ids)
    per_application = Counter(r["application_id"] for r in rows)
    per_iin = Counter(r["iin"] for r in rows)
    projected = {
        r["application_id"]: r
        for r in await pool.fetch(
            "SELECT application_id, state, breached, deadline FROM applications WHERE application_id = ANY($1::uuid[])",
            ids,
        )
    }
    due_passed = [s for s in statuses if s.deadline.timestamp() < ended_at]
    return {
        "applications": len(statuses),
        "ended": Counter(s.state.value for s in statuses),
        "lost": len(ids) - len(projected),
        "double_iin": sum(1 for n in per_application.values() if n > 1),
        "iin_shared": sum(1 for n in per_iin.values() if n > 1),
        "status_disagrees_with_projection": sum(
            1 for s in statuses if projected[s.application_id]["state"] != s.state.value
        ),
        "deadline_passed": len(due_passed),
        "breach_recorded_where_due": sum(
            1 for s in due_passed if s.breached and projected[s.application_id]["breached"]
        ),
        "breach_recorded_where_not_due": sum(1 for s in statuses if s.breached and s not in due_passed),
    }


async def main(applications: int, down_minutes: float, flaky: int) -> dict[str, Any]:
    """Run both phases on a throwaway stack; the figures of each."""
    async with bench_stack() as stack:
        client = await Client.connect(stack.temporal_address, data_converter=pydantic_data_converter)
        pool = await create_pool(stack.database_url, min_size=2, max_size=40)
        register_dsn = urlunsplit(urlsplit(stack.database_url)._replace(path="/iin_register"))
        async with running_simulator(register_dsn, seed=1) as (url, _):
            store = await create_pool(register_dsn, min_size=1, max_size=2)
            register = RemoteRegister(url, timeout=10)
            tuning = WorkerTuning(max_concurrent_activities=200, max_concurrent_workflow_tasks=200)
            async with build_worker(client, pool, "bench-register", register=register, tuning=tuning):
                await _faults(url, down=True)
                started = time.monotonic()
                phase1 = await _run(client, pool, "bench-register", applications)
                await asyncio.sleep(max(0.0, down_minutes * 60 - (time.monotonic() - started)))
                await _faults(url)
                back = time.monotonic()
                statuses = list(await asyncio.gather(*(h.result() for _, h in phase1)))
                outage = await _check(store, pool, statuses, SYSTEM_CLOCK.now().timestamp())
                outage |= {"down_minutes": down_minutes, "drained_in_seconds": round(time.monotonic() - back, 1)}
                await _faults(url, error_rate=0.05, lost_reply_rate=0.01)
                started = time.monotonic()
                phase2 = await _run(client, pool, "bench-register", flaky)
                statuses = list(await asyncio.gather(*(h.result() for _, h in phase2)))
                counters = (await httpx.AsyncClient(base_url=url).get("/_counters")).json()
                failing = await _check(store, pool, statuses, SYSTEM_CLOCK.now().timestamp())
                failing |= {"seconds": round(time.monotonic() - started, 1), "simulator": counters}
            await register.aclose()
            await store.close()
        await pool.close()
    return {"outage": outage, "errors_and_lost_replies": failing}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=100)
    parser.add_argument("--down-minutes", type=float, default=10)
    parser.add_argument("--flaky", type=int, default=1000)
    args = parser.parse_args()
    figures = asyncio.run(main(args.applications, args.down_minutes, args.flaky))
    print(json.dumps(figures, indent=2, default=str))
    print(f"written to {save_figures('register-faults', figures)}")
