"""`iin worker` as operators run it, in a process of its own, configured by its environment only.

Used where the process itself is the subject: signals, SIGKILL, restarts of what it talks to.
"""

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.timetravel import iin_command
from tests.toolkit.waiting import eventually
from workers.embedded import free_port, stop_process


@dataclass
class WorkerProcess:
    """A running `iin worker`: the process, the base URL of its probes, its output, how to start it again."""

    command: list[str]
    env: dict[str, str]
    workdir: Path
    probes: str
    log: Path
    process: subprocess.Popen[bytes] = field(init=False)

    def start(self) -> None:
        """Start the process (again), appending to the same log."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=self.workdir, stdout=out, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no hand-back; in-flight tasks are simply gone with the process."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        stop_process(self.process, timeout=15)

    async def ready(self, within: float = 60.0) -> None:
        """Wait until /readyz answers 200 (Temporal and PostgreSQL reachable, polling started)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                async with httpx.AsyncClient(timeout=2) as http:
                    if (await http.get(f"{self.probes}/readyz")).status_code == 200:
                        return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
        raise AssertionError(f"worker not ready in {within} s:\n{self.log.read_text()}")

    async def stopping(self, within: float = 10.0) -> None:
        """Wait until the worker reports a shutdown under way (/readyz: 503, stopping)."""

        async def reported() -> bool:
            async with httpx.AsyncClient(timeout=2) as http:
                return bool((await http.get(f"{self.probes}/readyz")).json().get("stopping"))

        await eventually(reported, bool, within=within)


@contextmanager
def worker_process(
    temporal_address: str,
    namespace: str,
    database_dsn: str,
    task_queue: str,
    workdir: Path,
    extra_env: dict[str, str] | None = None,
) -> Iterator[WorkerProcess]:
    """Start `iin worker` against those; stopped (or already killed) on the way out."""
    port = free_port()
    env = {
        # PATH and the like, but nothing of this machine's own service configuration.
        **{k: v for k, v in os.environ.items() if not k.startswith(("CODEC_", "TEMPORAL_", "DATABASE_"))},
        "DATABASE_URL": database_dsn,
        "TEMPORAL_ADDRESS": temporal_address,
        "TEMPORAL_NAMESPACE": namespace,
        "TEMPORAL_CONFIG_FILE": str(workdir / "absent.toml"),
        "TASK_QUEUE": task_queue,
        "DATA_DIR": str(workdir),
        "CODEC_ALLOW_PLAINTEXT": "true",  # the tests' clients use plain pydantic JSON (docs/testing.md)
        "WORKER_HEALTH_HOST": "127.0.0.1",
        "WORKER_HEALTH_PORT": str(port),
        "WORKER_METRICS_PORT": "0",  # no fixed port: several workers run on this machine at once
        **(extra_env or {}),
    }
    command, travel_env = iin_command("worker")
    worker = WorkerProcess(
        command, env | travel_env, workdir, f"http://127.0.0.1:{port}", workdir / f"worker-{port}.log"
    )
    worker.start()
    try:
        yield worker
    finally:
        if worker.process.poll() is None:
            worker.stop()
