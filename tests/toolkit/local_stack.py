"""`iin up` started as a newcomer starts it, on free ports and a data directory of its own.

Shared by the test of `iin up` (tests/workers/test_local_stack.py) and the benchmark through the HTTP
API (bench/api_load.py): both want the stack exactly as `make up` runs it, not a harness's version.
"""

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from tests.timetravel import iin_command
from workers.embedded import free_port, stop_process

# Settings that would point `iin up` at other infrastructure or keys than its embedded defaults.
OUTSIDE = ("DATABASE_URL", "TEMPORAL_ADDRESS", "CODEC_KEYS", "CODEC_KEY_FILE", "REGISTER_URL")


@dataclass
class LocalStack:
    """A running `iin up`: its process, the environment its commands need, its output, its addresses."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    log: Path
    data_dir: Path
    api: str
    temporal_address: str

    def output(self) -> str:
        """Everything `iin up` has printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def workers(self) -> list[psutil.Process]:
        """The `iin worker` processes it started."""
        children = psutil.Process(self.process.pid).children()
        return [child for child in children if "worker" in child.cmdline()]

    def operator_key(self) -> str:
        """The operator key `iin up` wrote for the local commands."""
        token: str = json.loads((self.data_dir / "api-key.json").read_text(encoding="utf-8"))["token"]
        return token

    def postgres(self) -> psutil.Process:
        """The embedded PostgreSQL's postmaster (its backends are its children)."""
        pid = int((self.data_dir / "postgres" / "postmaster.pid").read_text(encoding="ascii").split()[0])
        return psutil.Process(pid)

    def temporal(self) -> psutil.Process:
        """The Temporal dev server."""
        port = int(self.temporal_address.rsplit(":", 1)[1])
        for child in psutil.Process(self.process.pid).children():
            if any(f"--port={port}" in arg or arg == str(port) for arg in child.cmdline()):
                return child
        raise LookupError(f"no dev server on port {port} among the stack's processes")


def _free_run(length: int) -> int:
    """The first of `length` consecutive free ports (the workers take base, base + 1, ...)."""
    while True:
        base = free_port()
        try:
            for port in range(base, base + length):
                with closing(socket.socket()) as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base


@contextmanager
def local_stack(
    data_dir: Path, workers: int = 1, settings: dict[str, str] | None = None, within: float = 180.0
) -> Iterator[LocalStack]:
    """Run `iin up --workers N` until the block ends (then SIGTERM, as Ctrl-C would stop it)."""
    api, temporal = free_port(), free_port()
    command, extra = iin_command("up", "--workers", str(workers))
    env = {key: value for key, value in os.environ.items() if key not in OUTSIDE}
    env.update(
        extra,
        DATA_DIR=str(data_dir),
        API_PORT=str(api),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{api}",
        TEMPORAL_PORT=str(temporal),
        TEMPORAL_UI_PORT=str(free_port()),
        WORKER_HEALTH_PORT=str(_free_run(workers)),
        WORKER_METRICS_PORT=str(_free_run(workers)),
        **(settings or {}),
    )
    log = data_dir / "up.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    stack = LocalStack(process, env, log, data_dir, f"http://127.0.0.1:{api}", f"127.0.0.1:{temporal}")
    try:
        deadline = time.monotonic() + within
        while "IIN service is up" not in stack.output():
            assert process.poll() is None, stack.output()
            assert time.monotonic() < deadline, stack.output()
            time.sleep(0.2)
        yield stack
    finally:
        stop_process(process, timeout=60)
