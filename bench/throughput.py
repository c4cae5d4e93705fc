"""`make bench`: the real application workflow against the ceilings of the same server, in one run.

    .venv/bin/python -m bench.throughput --count 1000 --in-flight 200

Prints applications per second, p50/p95/p99 submission-to-terminal latency, the CPU per item of the
server, the worker, PostgreSQL and this client, and the worker's peak memory, for an empty workflow,
five no-op activities and the real service (PostgreSQL and the payload codec included); then the real
service one at a time, open-loop at half the empty ceiling's rate, and 2,000 submitted at once.
Writes bench/results/throughput-<time>.json and docs/performance.png. The workers inherit the
environment, so settings such as DB_POOL_MAX or WORKFLOW_SANDBOX can be tried (the ceilings get them too).
"""

import argparse
import asyncio
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psutil
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from temporalio.client import Client

from bench.ceiling import EMPTY, FIVE_ACTIVITIES
from bench.measure import Phase, as_dict, closed_loop, cpu_seconds, mirrored, open_loop, peak_rss_mb
from bench.output import machine, save_figures
from bench.stack import BenchStack, bench_stack
from clock import SYSTEM_CLOCK
from codec.converter import build_data_converter
from codec.keys import KeyRing
from config.settings import REPO_ROOT
from db.pool import create_pool
from iin_models.application import Application
from iin_models.enums import Certification
from service.intake import submit
from tests.factories import make_applicant, make_application, make_document, make_translation

console = Console(width=160)
REAL_QUEUE, CEILING_QUEUE = "bench-real", "bench-ceiling"


def application_mix(i: int, registered: list[Application]) -> Application:
    """About 80% certificates and the rest split over the three grounds of refusal."""
    kind = i % 15
    if kind == 12:
        return make_application(
            document=make_document(particulars_in_latin_or_cyrillic=False, issuing_state="CN"),
            translation=make_translation(certification=Certification.NONE, certified_on=None),
        )
    if kind == 13:
        return make_application(applicant=make_applicant(citizenship="KZ"))
    if kind == 14:
        return make_application(applicant=registered[i % len(registered)].applicant)
    return make_application()


def pin(stack: BenchStack) -> dict[str, list[int]]:
    """Production's topology on two cores: the Temporal server alone on CPU 0, everything else on CPU 1.

    The worker, PostgreSQL (the postmaster and every backend it forks later) and this load generator
    share CPU 1; the workers started after this inherit it from this process.
    """
    server, others = [0], [1]
    for process in (stack.server, *stack.server.children(recursive=True)):
        _pin_threads(process, server)
    for process in (stack.postgres, *stack.postgres.children(recursive=True), psutil.Process()):
        _pin_threads(process, others)
    return {"server": server, "worker_postgres_load": others}


def _pin_threads(process: psutil.Process, cpus: list[int]) -> None:
    # Affinity belongs to each thread: setting the process's pins its main thread only, and the Go
    # server's scheduler threads (or this process's SDK threads) would go on running anywhere.
    for thread in process.threads():
        os.sched_setaffinity(thread.id, cpus)


async def run(count: int, in_flight: int, open_count: int, crowd_size: int, pinned: bool) -> dict[str, object]:
    async with bench_stack() as stack:
        topology = pin(stack) if pinned else None
        if topology:
            console.print("topology: the Temporal server on CPU 0; workers, PostgreSQL and the load on CPU 1")
        workers = _start_workers(stack)
        try:
            await asyncio.sleep(3)  # workers connect and poll
            measuring = asyncio.create_task(_measure(stack, workers, count, in_flight, open_count, crowd_size))
            watching = asyncio.create_task(_watch(workers, stack))
            await asyncio.wait({measuring, watching}, return_when=asyncio.FIRST_COMPLETED)
            watching.cancel()
            if not measuring.done():
                measuring.cancel()
                await watching  # raises: a worker died, and the batch would wait for it forever
            return {**await measuring, "pinned": topology}
        finally:
            for process in workers.values():
                if process.is_running():
                    process.terminate()
                    process.wait(15)


async def _watch(workers: dict[str, psutil.Process], stack: BenchStack) -> None:
    """Return never; raise as soon as a worker process has exited."""
    while True:
        for name, process in workers.items():
            if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
                log = (stack.root / f"{name}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the {name} worker exited; the end of its log:\n{log}")
        await asyncio.sleep(1)


def _start_workers(stack: BenchStack) -> dict[str, psutil.Process]:
    env = {
        "DATABASE_URL": stack.database_url,
        "TEMPORAL_ADDRESS": stack.temporal_address,
        "TASK_QUEUE": REAL_QUEUE,
        "CODEC_KEYS": stack.codec_keys,
        "WORKER_HEALTH_PORT": "0",
        "WORKER_METRICS_PORT": "0",
    }
    real = stack.spawn("real", ["-m", "commands.main", "worker"], env)
    # The same worker settings (sandbox, concurrency) for the ceilings as for the real service.
    ceiling = stack.spawn("ceiling", ["-m", "bench.ceiling", stack.temporal_address, "default", CEILING_QUEUE], env)
    return {"real": psutil.Process(real.pid), "ceiling": psutil.Process(ceiling.pid)}


async def _measure(
    stack: BenchStack,
    workers: dict[str, psutil.Process],
    count: int,
    in_flight: int,
    open_count: int,
    crowd_size: int,
) -> dict[str, object]:
    plain = await Client.connect(stack.temporal_address)
    sealed = await Client.connect(
        stack.temporal_address, data_converter=build_data_converter(KeyRing.parse(stack.codec_keys))
    )
    pool = await create_pool(stack.database_url, min_size=4, max_size=20)
    phases: list[Phase] = []
    try:

        def ceiling(workflow: str):  # type: ignore[no-untyped-def]
            async def one(i: int) -> None:
                await plain.execute_workflow(workflow, i, id=f"bench-{uuid.uuid4()}", task_queue=CEILING_QUEUE)

            return one

        registered = [make_application() for _ in range(20)]

        async def real(i: int, mix: bool = True) -> None:
            application = application_mix(i, registered) if mix else registered[i]
            await (await submit(sealed, pool, application, REAL_QUEUE, now=SYSTEM_CLOCK.now())).handle.result()

        # The server refuses more than about 1,200 concurrent long polls per namespace: every application
        # of the crowd is started at once, and at most 1,000 of them are waited on at a time. The starts go
        # 100 at a time: 2,000 start calls at once overran the dev server's store, one core's worth, and
        # its create-workflow writes timed out ("context deadline exceeded"), failing the bench.
        waiting, starting = asyncio.Semaphore(1000), asyncio.Semaphore(100)

        async def crowded(i: int) -> None:
            async with starting:
                application = application_mix(i, registered)
                submitted = await submit(sealed, pool, application, REAL_QUEUE, now=SYSTEM_CLOCK.now())
            async with waiting:
                await submitted.handle.result()

        def parts(worker: str) -> dict[str, Callable[[], float]]:
            # PostgreSQL works in one backend process per connection, the postmaster's children.
            return {
                "server": lambda: cpu_seconds(stack.server),
                "worker": lambda: cpu_seconds(workers[worker]),
                "postgres": lambda: cpu_seconds(stack.postgres, descendants=True),
                "client": lambda: cpu_seconds(client),
            }

        client = psutil.Process()
        with Progress(console=console) as progress:
            await closed_loop("warm-up", 20, 20, lambda i: real(i, mix=False), parts("real"), progress)
            kinds = [
                ("empty workflow", ceiling(EMPTY), parts("ceiling")),
                ("5 no-op activities", ceiling(FIVE_ACTIVITIES), parts("ceiling")),
                ("IIN application", real, parts("real")),
            ]
            phases.extend(await mirrored(kinds, count, in_flight, progress))
            phases[-1].worker_peak_rss_mb = round(peak_rss_mb(workers["real"]), 1)
            phases.append(await closed_loop("IIN application, idle", 50, 1, real, parts("real"), progress))
            rate = phases[0].per_second / 2
            phases.append(
                await open_loop("IIN application, open loop", rate, open_count, real, parts("real"), progress)
            )
            crowd = await closed_loop(
                f"IIN application, {crowd_size} at once", crowd_size, crowd_size, crowded, parts("real"), progress
            )
            crowd.worker_peak_rss_mb = round(peak_rss_mb(workers["real"]), 1)
            phases.append(crowd)
    finally:
        await pool.close()
    return _report(phases, count, in_flight)


def _report(phases: list[Phase], count: int, in_flight: int) -> dict[str, object]:
    empty, five, real = phases[0], phases[1], phases[2]
    table = Table(
        "phase",
        "n",
        "per s",
        "steady per s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "server CPU ms",
        "worker CPU ms",
        "PG CPU ms",
        "client CPU ms",
        "worker peak MB",
        title=f"closed loop: {count} items, {in_flight} in flight; CPU per item",
    )
    for phase in phases:
        s = phase.summary()
        table.add_row(
            *(
                str(s[k])
                for k in (
                    "name",
                    "count",
                    "per_second",
                    "steady_per_second",
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "server_cpu_ms_per_item",
                    "worker_cpu_ms_per_item",
                    "postgres_cpu_ms_per_item",
                    "client_cpu_ms_per_item",
                    "worker_peak_rss_mb",
                )
            )
        )
    console.print(table)
    ratios = {
        "real_to_empty": round(real.per_second / empty.per_second, 3),
        "real_to_five_activities": round(real.per_second / five.per_second, 3),
        "steady_real_to_empty": round(real.steady_per_second / empty.steady_per_second, 3),
        "steady_real_to_five_activities": round(real.steady_per_second / five.steady_per_second, 3),
    }
    goals = _goals(phases)
    console.print(
        f"ratios: applications/s to empty ceiling {ratios['real_to_empty']},"
        f" to 5-activity ceiling {ratios['real_to_five_activities']};"
        f" steady state: {ratios['steady_real_to_empty']} and {ratios['steady_real_to_five_activities']}"
    )
    return {
        "at": SYSTEM_CLOCK.now().isoformat(),
        "machine": machine(),
        "count": count,
        "in_flight": in_flight,
        "phases": [as_dict(p) for p in phases],
        "ratios": ratios,
        "goals": goals,
    }


def _cpu_ms(phase: Phase, *parts: str) -> float:
    return 1000 * sum(phase.cpu_seconds[part] for part in parts) / phase.count


def _goals(phases: list[Phase]) -> list[dict[str, object]]:
    """Issue 21's targets, each measured in this run, printed beside its goal."""
    empty, real, idle, open_loop, crowd = phases[0], phases[2], phases[3], phases[4], phases[5]
    every = ("server", "worker", "postgres", "client")
    measured = [
        ("applications/s to empty workflows/s", real.per_second / empty.per_second, ">=", 0.9),
        ("CPU per application, all processes, to empty's", _cpu_ms(real, *every) / _cpu_ms(empty, *every), "<=", 1.5),
        ("worker CPU ms per application", _cpu_ms(real, "worker"), "<=", 12.0),
        ("server CPU per application to empty's", _cpu_ms(real, "server") / _cpu_ms(empty, "server"), "<=", 1.15),
        ("idle p50 ms, submission to end", idle.percentile(50), "<", 100.0),
        ("open-loop p95 ms at half the empty rate", open_loop.percentile(95), "<", 1000.0),
        (f"worker peak MB, {crowd.count:,} at once", crowd.worker_peak_rss_mb or 0.0, "<", 300.0),
    ]
    table = Table("target", "measured", "goal", "met", title="issue 21's targets")
    goals: list[dict[str, object]] = []
    for name, value, sense, goal in measured:
        met = value >= goal if sense == ">=" else value <= goal if sense == "<=" else value < goal
        table.add_row(name, f"{value:.3g}", f"{sense} {goal:g}", "yes" if met else "[red]no[/red]")
        goals.append({"target": name, "measured": round(value, 3), "goal": f"{sense} {goal:g}", "met": met})
    console.print(table)
    return goals


def chart(results: dict[str, object], path: Path) -> None:
    """Throughput and latency percentiles, real against ceilings."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    phases = results["phases"]
    assert isinstance(phases, list)
    names = [p["name"] for p in phases]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    for offset, (key, label) in enumerate((("per_second", "whole batch"), ("steady_per_second", "steady state"))):
        left.barh([i + offset * 0.4 for i in range(len(names))], [p[key] for p in phases], height=0.4, label=label)
    left.set_yticks([i + 0.2 for i in range(len(names))], names)
    left.set_xlabel("workflows per second")
    left.invert_yaxis()
    left.legend()
    for offset, key in enumerate(("p50_ms", "p95_ms", "p99_ms")):
        right.barh(
            [i + offset * 0.27 for i in range(len(names))],
            [p[key] for p in phases],
            height=0.27,
            label=key.removesuffix("_ms"),
        )
    right.set_yticks([i + 0.27 for i in range(len(names))], names)
    right.set_xscale("log")
    right.set_xlabel("submission to terminal, ms (log)")
    right.invert_yaxis()
    right.legend()
    fig.suptitle(f"IIN service vs ceilings, {str(results['at'])[:16]} ({results['machine']})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="items per closed-loop phase")
    parser.add_argument("--in-flight", type=int, default=200, help="items in flight at once")
    parser.add_argument("--open-count", type=int, default=400, help="applications in the open-loop phase")
    parser.add_argument(
        "--crowd", type=int, default=2000, help="applications submitted at once, for the worker's peak memory"
    )
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=(psutil.cpu_count() or 1) >= 2,
        help="the server on a core of its own, everything else on the other (default with two or more cores)",
    )
    args = parser.parse_args()
    # A terminated run (a timeout, Ctrl-C elsewhere) still stops the servers and workers it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    results = asyncio.run(run(args.count, args.in_flight, args.open_count, args.crowd, args.pin))
    path = save_figures("throughput", results)
    chart(results, REPO_ROOT / "docs" / "performance.png")
    console.print(f"results: {path}; chart: docs/performance.png; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
