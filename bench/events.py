"""Measure webhook delivery: latency from commit to receipt (p50/p95) and the cost of an event.

    .venv/bin/python -m bench.events --applications 600 --rate 20

Starts a throwaway PostgreSQL (bench/stack.py), a receiver on localhost (tests/toolkit/receiver.py)
subscribed three times (an operator's webhook and two establishments'), and the delivery loop in a
process of its own, as `iin worker` runs it. Then it writes applications' transitions at a steady
rate exactly as the steps do (db/applications.py: projection and event in one statement, one
transaction per step; four events an application), and waits until every delivery arrived.

Latency is the receipt's wall-clock instant less the event row's `recorded_at` (clock_timestamp() at
the insert, a few hundred microseconds before the commit), on one machine. Cost: CPU of the delivery
process and of PostgreSQL per delivery, bytes stored per event and per delivery attempt, and the time
the outbox adds to a step's statement (the projection's UPDATE with and without its event). Not part
of the test suite: it prints figures, it does not pass or fail.
"""

import argparse
import asyncio
import statistics
import sys
import time
from uuid import UUID, uuid4

import asyncpg
import psutil
from rich.console import Console

from bench.measure import cpu_seconds
from bench.output import save_figures
from bench.stack import bench_stack
from clock import SYSTEM_CLOCK
from codec.keys import KeyRing
from db.api_keys import create_key
from db.applications import open_application, record_transition
from db.pool import create_pool
from db.webhooks import create_webhook
from events.delivery import DeliveryLoop, DeliveryPolicy
from events.secrets import SecretBox, new_secret
from events.urls import parse_networks
from iin_models.enums import ApplicationState
from iin_models.status import Transition
from service.intake import resolve
from tests.factories import make_application
from tests.toolkit.receiver import Receiver

console = Console()
ESTABLISHMENTS = ("emb-tr-ankara", "emb-cn-beijing", "cg-au-sydney")
STEPS = (ApplicationState.DOCUMENTS_VERIFIED, ApplicationState.IIN_FORMED, ApplicationState.CERTIFICATE_ISSUED)
LOOPBACK = ["127.0.0.0/8"]


async def _deliver(database_url: str, keys: str) -> None:
    """The child process: the delivery loop as `iin worker` runs it, until killed."""
    pool = await create_pool(database_url, min_size=1, max_size=4)
    policy = DeliveryPolicy(networks=parse_networks(LOOPBACK), backoff_initial=0.2, backoff_max=2.0)
    await DeliveryLoop(pool, SecretBox(KeyRing.parse(keys)), policy).run()


async def _subscribe(pool: asyncpg.Pool, box: SecretBox, url: str) -> int:
    async with pool.acquire() as conn:
        for scope in (None, *ESTABLISHMENTS[:2]):
            key, _ = await create_key(conn, establishment_id=scope, label="bench")
            webhook_id = uuid4()
            await create_webhook(
                conn,
                webhook_id=webhook_id,
                api_key_id=key.id,
                establishment_id=scope,
                url=url,
                event_types=None,
                secret=box.seal(webhook_id, new_secret()),
                now=SYSTEM_CLOCK.now(),
            )
    return 3


async def _one_application(pool: asyncpg.Pool, i: int) -> UUID:
    application = make_application(establishment_id=ESTABLISHMENTS[i % len(ESTABLISHMENTS)])
    data = await resolve(pool, application, now=SYSTEM_CLOCK.now())
    async with pool.acquire() as conn, conn.transaction():
        await open_application(conn, data)
    for state in STEPS:
        async with pool.acquire() as conn, conn.transaction():
            await record_transition(conn, application.application_id, Transition(state=state, at=SYSTEM_CLOCK.now()))
    return application.application_id


async def _outbox_overhead(pool: asyncpg.Pool, ids: list[UUID], rounds: int = 2000) -> dict[str, float]:
    """Median ms of the step's projection statement with its event, and of the bare UPDATE it replaces."""
    at = SYSTEM_CLOCK.now()
    with_event, bare = [], []
    async with pool.acquire() as conn:
        for n in range(rounds):
            application_id = ids[n % len(ids)]
            transaction = conn.transaction()  # rolled back: nothing of the measurement is kept
            await transaction.start()
            started = time.perf_counter()
            await record_transition(conn, application_id, Transition(state=ApplicationState.REJECTED, at=at))
            with_event.append(time.perf_counter() - started)
            started = time.perf_counter()
            await conn.execute(
                "UPDATE applications SET state = $2, transitions = transitions || $3::jsonb, updated_at = now()"
                " WHERE application_id = $1",
                application_id,
                "rejected",
                [{"state": "rejected", "at": at.isoformat()}],
            )
            bare.append(time.perf_counter() - started)
            await transaction.rollback()
    return {
        "step_statement_ms_with_event_median": round(1000 * statistics.median(with_event), 3),
        "step_statement_ms_without_event_median": round(1000 * statistics.median(bare), 3),
    }


async def run(applications: int, rate: float) -> dict[str, object]:
    """Write `applications` at `rate` a second, deliver to three subscriptions, and measure."""
    async with bench_stack() as stack:
        pool = await create_pool(stack.database_url, min_size=2, max_size=20)
        receiver = Receiver()
        await receiver.start()
        box = SecretBox(KeyRing.parse(stack.codec_keys))
        try:
            subscriptions = await _subscribe(pool, box, receiver.url)
            child = stack.spawn(
                "deliver", ["-m", "bench.events", "--deliver", stack.database_url, stack.codec_keys], {}
            )
            delivering = psutil.Process(child.pid)
            await asyncio.sleep(2.0)  # the child imports and starts listening
            cpu_before = {
                "delivery": cpu_seconds(delivering),
                "postgres": cpu_seconds(stack.postgres, descendants=True),
            }
            started = time.perf_counter()
            tasks = []
            for i in range(applications):
                tasks.append(asyncio.create_task(_one_application(pool, i)))
                await asyncio.sleep(max(0.0, started + (i + 1) / rate - time.perf_counter()))
            ids = await asyncio.gather(*tasks)
            # Three subscriptions: the operator's gets every event, each establishment's a third of them.
            expected = 4 * applications + 4 * len([i for i in range(applications) if i % 3 < 2])
            deadline = time.monotonic() + 120
            while len(receiver.received) < expected and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)  # the receiver is the tests' own, with nothing to wait on
            elapsed = time.perf_counter() - started
            cpu = {
                "delivery": cpu_seconds(delivering) - cpu_before["delivery"],
                "postgres": cpu_seconds(stack.postgres, descendants=True) - cpu_before["postgres"],
            }
            child.kill()
            recorded = {
                row["event_id"]: row["recorded_at"].timestamp()
                for row in await pool.fetch("SELECT event_id, recorded_at FROM events")
            }
            latencies = sorted(
                1000 * (r.at.timestamp() - recorded[UUID(r.headers["webhook-id"])]) for r in receiver.received
            )
            sizes = await pool.fetchrow(
                "SELECT (SELECT count(*) FROM events) AS events, pg_total_relation_size('events') AS events_bytes,"
                " (SELECT count(*) FROM webhook_deliveries) AS deliveries,"
                " pg_total_relation_size('webhook_deliveries') AS deliveries_bytes"
            )
            assert sizes is not None
            overhead = await _outbox_overhead(pool, list(ids))
        finally:
            await receiver.stop()
            await pool.close()
    deliveries = len(receiver.received)
    return {
        "applications": applications,
        "rate_per_second": rate,
        "subscriptions": subscriptions,
        "events": sizes["events"],
        "deliveries_expected": expected,
        "deliveries_received": deliveries,
        "seconds": round(elapsed, 1),
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "latency_ms_max": round(latencies[-1], 1),
        "delivery_cpu_ms_per_delivery": round(1000 * cpu["delivery"] / deliveries, 3),
        "postgres_cpu_ms_per_delivery_all_work": round(1000 * cpu["postgres"] / deliveries, 3),
        "events_bytes_per_event": round(sizes["events_bytes"] / sizes["events"]),
        "delivery_log_bytes_per_attempt": round(sizes["deliveries_bytes"] / max(1, sizes["deliveries"])),
        **overhead,
        "note": "latency from the event row's insert (clock_timestamp) to the receipt; PostgreSQL CPU includes"
        " writing the transitions themselves",
    }


def main() -> None:
    """Run the benchmark, or, with --deliver, be its delivery process."""
    if len(sys.argv) > 1 and sys.argv[1] == "--deliver":
        asyncio.run(_deliver(sys.argv[2], sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=600, help="applications written (four events each)")
    parser.add_argument("--rate", type=float, default=20.0, help="applications started per second")
    args = parser.parse_args()
    figures = asyncio.run(run(args.applications, args.rate))
    for key, value in figures.items():
        console.print(f"{key:42} {value}")
    console.print(f"written to {save_figures('events', figures)}")


if __name__ == "__main__":
    main()
