"""`make bench-api`: the stack a newcomer runs, through its HTTP API, beside empty workflows on its server.

    .venv/bin/python -m bench.api_load --clients 50 --count 1000 --workers 1

Starts `iin up --workers N` exactly as `make up` does (embedded PostgreSQL and the file-backed dev server,
migrations, the API in the `iin up` process, N `iin worker` processes), with the API's rate limits off.
Then, in one run and in the order E A A E (the server's store fills as the run goes on):

- **A**: `--clients` clients, each submitting an application (`POST /v1/applications`, the mix of `make
  bench`) and following it (`GET /v1/applications/{id}?wait=30`) until it ends, then the next;
- **E**: empty workflows on the same server, as many in flight as there are clients, started and awaited
  by this process, run by the ceiling worker (`bench/ceiling.py`, the real worker's settings).

Prints applications/s against empty workflows/s beside the goal of issue 21 (>= 0.6 x), the latencies,
and the CPU per item of each process (server, API, workers, PostgreSQL, this load generator). Figures
go to bench/results/api-load-<time>.json; not a pass or a fail.
"""

import argparse
import asyncio
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psutil
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from temporalio.client import Client

from bench.ceiling import EMPTY
from bench.measure import Phase, as_dict, closed_loop, cpu_seconds, mirrored
from bench.output import machine, save_figures
from bench.stack import spawn_python
from bench.throughput import application_mix
from clock import SYSTEM_CLOCK
from iin_models.enums import ApplicationState
from tests.factories import make_application
from tests.toolkit.local_stack import LocalStack, local_stack

console = Console(width=160)
CEILING_QUEUE = "bench-api-ceiling"
GOAL = 0.6
# Off for the run: 50 clients long-polling are far above the per-key limit a deployment sets.
SETTINGS = {"RATE_LIMIT_ENABLED": "false"}


def _parts(stack: LocalStack, ceiling: psutil.Process, kind: str) -> dict[str, Callable[[], float]]:
    server, postgres, workers = stack.temporal(), stack.postgres(), stack.workers()
    api, load = psutil.Process(stack.process.pid), psutil.Process()
    return {
        "server": lambda: cpu_seconds(server),
        "api": lambda: cpu_seconds(api),
        "worker": (lambda: sum(cpu_seconds(w) for w in workers)) if kind == "real" else lambda: cpu_seconds(ceiling),
        "postgres": lambda: cpu_seconds(postgres, descendants=True),
        "client": lambda: cpu_seconds(load),
    }


def _through_api(http: httpx.AsyncClient) -> Callable[[int], Awaitable[None]]:
    registered = [make_application() for _ in range(20)]

    async def one(i: int) -> None:
        application = application_mix(i, registered)
        answer = await http.post("/v1/applications", content=application.model_dump_json())
        assert answer.status_code == 202, answer.text
        while not ApplicationState(answer.json()["state"]).is_terminal:
            answer = await http.get(f"/v1/applications/{application.application_id}", params={"wait": 30})
            assert answer.status_code == 200, answer.text

    return one


async def _measure(stack: LocalStack, ceiling: psutil.Process, count: int, clients: int) -> list[Phase]:
    temporal = await Client.connect(stack.temporal_address)

    async def empty(i: int) -> None:
        await temporal.execute_workflow(EMPTY, i, id=f"bench-{uuid.uuid4()}", task_queue=CEILING_QUEUE)

    headers = {"Authorization": f"Bearer {stack.operator_key()}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=stack.api, headers=headers, limits=limits, timeout=60) as http:
        real = _through_api(http)
        with Progress(console=console) as progress:
            await closed_loop("warm-up", 20, 10, real, _parts(stack, ceiling, "real"), progress)
            kinds = [
                ("empty workflow", empty, _parts(stack, ceiling, "ceiling")),
                ("IIN application through the API", real, _parts(stack, ceiling, "real")),
            ]
            return await mirrored(kinds, count, clients, progress)


def _report(phases: list[Phase], clients: int, workers: int) -> dict[str, object]:
    empty, real = phases
    title = f"{clients} clients; CPU ms per item"
    table = Table("phase", "n", "per s", "steady per s", "p50 ms", "p95 ms", title=title)
    for column in ("server", "api", "worker", "postgres", "client"):
        table.add_column(f"{column} CPU")
    for phase in phases:
        s = phase.summary()
        columns = ("name", "count", "per_second", "steady_per_second", "p50_ms", "p95_ms")
        cpu = (f"{part}_cpu_ms_per_item" for part in ("server", "api", "worker", "postgres", "client"))
        table.add_row(*(str(s[key]) for key in (*columns, *cpu)))
    console.print(table)
    ratio = round(real.per_second / empty.per_second, 3)
    steady = round(real.steady_per_second / empty.steady_per_second, 3)
    verdict = "met" if ratio >= GOAL else "not met"
    console.print(
        f"applications/s through the API to empty workflows/s: {ratio} (steady {steady}); goal >= {GOAL}: {verdict}"
    )
    return {
        "at": SYSTEM_CLOCK.now().isoformat(),
        "machine": machine(),
        "clients": clients,
        "workers": workers,
        "phases": [as_dict(p) for p in phases],
        "ratio": ratio,
        "steady_ratio": steady,
        "goal": GOAL,
        "met": ratio >= GOAL,
    }


async def run(count: int, clients: int, workers: int) -> dict[str, object]:
    """Start the stack, measure both kinds, stop it; the figures."""
    root = Path(tempfile.mkdtemp(prefix="iin-bench-api-"))
    try:
        with local_stack(root, workers=workers, settings=SETTINGS) as stack:
            ceiling = spawn_python(
                ["-m", "bench.ceiling", stack.temporal_address, "default", CEILING_QUEUE],
                stack.env,
                root / "ceiling.log",
            )
            try:
                phases = await _measure(stack, psutil.Process(ceiling.pid), count, clients)
            finally:
                ceiling.terminate()
                ceiling.wait(15)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return _report(phases, clients, workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="items of each kind (two halves each)")
    parser.add_argument("--clients", type=int, default=50, help="clients at once, and empty workflows in flight")
    parser.add_argument("--workers", type=int, default=1, help="worker processes of `iin up` (make up runs 1)")
    args = parser.parse_args()
    figures = asyncio.run(run(args.count, args.clients, args.workers))
    console.print(f"written to {save_figures('api-load', figures)}")


if __name__ == "__main__":
    main()
