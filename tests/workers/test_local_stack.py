"""`iin up` as a newcomer runs it: the whole stack on embedded parts, the workers in processes of their own.

One stack is started for the module, on free ports and a data directory of its own, exactly as
`make up` starts it (PostgreSQL and the Temporal dev server embedded, migrations, the API, workers).
"""

import signal
import subprocess
from collections.abc import Iterator

import psutil
import pytest

from tests.timetravel import iin_command
from tests.toolkit.local_stack import LocalStack, local_stack

WORKERS = 2


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with local_stack(tmp_path_factory.mktemp("iin-up"), workers=WORKERS) as running:
        yield running


def test_up_runs_each_worker_in_a_process_of_its_own(stack: LocalStack) -> None:
    assert len(stack.workers()) == WORKERS


def test_a_sample_application_submitted_to_the_stack_gets_its_certificate(stack: LocalStack) -> None:
    command, extra = iin_command("sample")
    run = subprocess.run(command, env={**stack.env, **extra}, capture_output=True, timeout=120)
    assert run.returncode == 0, run.stdout.decode() + run.stderr.decode()
    assert b"certificate_issued" in run.stdout


def test_a_worker_that_dies_stops_the_whole_stack_with_a_failure(stack: LocalStack) -> None:
    workers = stack.workers()
    workers[0].send_signal(signal.SIGKILL)
    assert stack.process.wait(90) == 1
    output = stack.output()
    assert f"worker {workers[0].pid} exited" in output and "stopped" in output
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
