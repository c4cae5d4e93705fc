"""`iin up` as a newcomer runs it: the whole stack on embedded parts, the workers in processes of their own.

One stack is started for the module, on free ports and a data directory of its own, exactly as
`make up` starts it (PostgreSQL and the Temporal dev server embedded, migrations, the API, workers).
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.timetravel import iin_command
from workers.embedded import free_port, stop_process

WORKERS = 2
# Settings that would point `iin up` at other infrastructure or keys than its embedded defaults.
OUTSIDE = ("DATABASE_URL", "TEMPORAL_ADDRESS", "CODEC_KEYS", "CODEC_KEY_FILE", "REGISTER_URL")


@dataclass
class Stack:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    log: Path


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


def _output(stack: Stack) -> str:
    return stack.log.read_text(encoding="utf-8", errors="replace")


def _workers(stack: Stack) -> list[psutil.Process]:
    children = psutil.Process(stack.process.pid).children()
    return [child for child in children if "worker" in child.cmdline()]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data = tmp_path_factory.mktemp("iin-up")
    health, metrics = _free_run(WORKERS), _free_run(WORKERS)
    api = free_port()
    command, extra = iin_command("up", "--workers", str(WORKERS))
    env = {key: value for key, value in os.environ.items() if key not in OUTSIDE}
    env.update(
        extra,
        DATA_DIR=str(data),
        API_PORT=str(api),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{api}",
        TEMPORAL_PORT=str(free_port()),
        TEMPORAL_UI_PORT=str(free_port()),
        WORKER_HEALTH_PORT=str(health),
        WORKER_METRICS_PORT=str(metrics),
    )
    log = data / "up.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    started = Stack(process, env, log)
    deadline = time.monotonic() + 180
    while "IIN service is up" not in _output(started):
        assert process.poll() is None, _output(started)
        assert time.monotonic() < deadline, _output(started)
        time.sleep(0.2)
    yield started
    stop_process(process, timeout=60)


def test_up_runs_each_worker_in_a_process_of_its_own(stack: Stack) -> None:
    workers = _workers(stack)
    assert len(workers) == WORKERS
    assert all(worker.cmdline()[-1] == "worker" for worker in workers)


def test_a_sample_application_submitted_to_the_stack_gets_its_certificate(stack: Stack) -> None:
    command, extra = iin_command("sample")
    run = subprocess.run(command, env={**stack.env, **extra}, capture_output=True, timeout=120)
    assert run.returncode == 0, run.stdout.decode() + run.stderr.decode()
    assert b"certificate_issued" in run.stdout


def test_a_worker_that_dies_stops_the_whole_stack_with_a_failure(stack: Stack) -> None:
    workers = _workers(stack)
    workers[0].send_signal(signal.SIGKILL)
    assert stack.process.wait(90) == 1
    output = _output(stack)
    assert f"worker {workers[0].pid} exited" in output and "stopped" in output
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
