"""The worker processes `iin up` runs beside its API: `iin worker`, each a Python process of its own.

A worker in the API's process would share one interpreter (one core) with the HTTP API; processes of
their own let the local stack use every core, as separate machines do in production. Each child is
the same program as the parent (so a test's travelled clock travels with it), finds the stack where
`iin up` recorded it (workers/endpoints.py), and is stopped with SIGTERM, which `iin worker` answers
with a graceful shutdown.
"""

import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx

from config.settings import Settings
from workers.embedded import stop_process

# Beyond the workers' own grace period: the time to report cancelled activities and exit.
EXIT_MARGIN_SECONDS = 5.0


class WorkerExited(RuntimeError):
    """A worker process ended on its own, while the stack was meant to be up."""


@dataclass
class LocalWorker:
    """One `iin worker` child: the process and the address of its probes (None: probes off)."""

    process: subprocess.Popen[bytes]
    probes: str | None


def own_command(*args: str) -> list[str]:
    """This program's own command line with `args` in place of its arguments.

    `iin up` was started as `iin up ...`, `python -m commands.main up ...` or through a wrapper such as
    the tests' clock (`python -m tests.timetravel OFFSET up ...`): whatever came before the command's
    own arguments is kept, so the child runs the same way.
    """
    arguments = len(sys.argv) - 1
    prefix = sys.orig_argv[: len(sys.orig_argv) - arguments] if arguments else sys.orig_argv
    return [*prefix, *args]


def _port(base: int, index: int) -> int:
    return base + index if base else 0


def start_workers(count: int, settings: Settings) -> list[LocalWorker]:
    """Start `count` workers on the stack's endpoints, each with probes and metrics on ports of its own."""
    started = []
    for index in range(count):
        # The child inherits this environment and finds the stack's endpoints where `iin up` recorded them
        # (workers/endpoints.py); only its ports differ, so that N workers can share the machine.
        health_port = _port(settings.worker_health_port, index)
        ports = ["--health-port", str(health_port), "--metrics-port", str(_port(settings.worker_metrics_port, index))]
        process = subprocess.Popen(own_command("worker", *ports))
        probes = f"http://{settings.worker_health_host}:{health_port}" if health_port else None
        started.append(LocalWorker(process, probes))
    return started


async def wait_ready(workers: list[LocalWorker], within: float = 90.0) -> None:
    """Return once every worker's /readyz answers 200; WorkerExited if one ends first, TimeoutError after."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2.0) as http:
        for worker in workers:
            while worker.probes is not None:
                _check_running(worker)
                try:
                    if (await http.get(f"{worker.probes}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass  # still starting: not listening yet
                if time.monotonic() > deadline:
                    raise TimeoutError(f"worker {worker.process.pid} was not ready within {within:g} s")
                await asyncio.sleep(0.2)


async def watch(workers: list[LocalWorker], stop: asyncio.Event, every: float = 0.5) -> None:
    """Set `stop` as soon as any worker process ends (the stack is then not whole)."""
    while not stop.is_set():
        if any(worker.process.poll() is not None for worker in workers):
            stop.set()
            return
        await asyncio.sleep(every)


def exited(workers: list[LocalWorker]) -> list[tuple[int, int]]:
    """The (pid, exit code) of the workers that have ended."""
    return [(w.process.pid, code) for w in workers if (code := w.process.poll()) is not None]


async def stop_workers(workers: list[LocalWorker], grace_seconds: float) -> None:
    """SIGTERM every worker at once; each gets its grace period, then is killed."""
    await asyncio.gather(
        *(asyncio.to_thread(stop_process, worker.process, grace_seconds + EXIT_MARGIN_SECONDS) for worker in workers)
    )


def _check_running(worker: LocalWorker) -> None:
    code = worker.process.poll()
    if code is not None:
        raise WorkerExited(f"worker {worker.process.pid} exited with {code} while starting")
