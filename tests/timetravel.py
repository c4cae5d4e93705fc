"""The test session's clock: the real time, or a fixed instant (`pytest --at`, or IIN_TEST_AT) that then ticks.

With an instant, the test process travels to it with time-machine at start: `datetime.now`,
`date.today` and `time.time` follow it, so everything that reads `clock.SYSTEM_CLOCK` does; the
monotonic clocks that asyncio, asyncpg and httpx time out with do not move. The Temporal servers
keep clocks of their own, which is why:

- the instant may not lie in the past: a server's clock cannot go back, and a deadline already
  behind it would be breached at once (`start` refuses such an instant);
- the time-skipping server is moved forward to the instant when it starts (`align`), so that
  `workflow.now()` there agrees with the Python side; tests that wait for a deadline sleep from the
  server's own time (`env.get_current_time()`), never from ours;
- the dev server stays on the real time: the workflow compares its clock only with the deadline,
  which lies after the instant, so nothing there is breached early;
- worker processes the tests spawn travel with the session (`iin_command`).

`python -m tests.timetravel OFFSET_SECONDS ARGS...` runs `iin ARGS...` with its clock moved by the offset.
"""

import sys
from datetime import datetime, timedelta
from pathlib import Path

import time_machine
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK

AT_ENV = "IIN_TEST_AT"
REPO_ROOT = Path(__file__).resolve().parent.parent
IIN = str(Path(sys.executable).with_name("iin"))

_travel: time_machine.travel | None = None
_offset = timedelta()


def start(at: str | None) -> None:
    """Travel the process to `at` (ISO 8601 with an offset), ticking from there; nothing if None."""
    global _travel, _offset
    if not at:
        return
    instant = datetime.fromisoformat(at)
    if instant.utcoffset() is None:
        raise ValueError(f"--at {at!r}: give the offset too, e.g. 2026-12-31T23:30:00+00:00")
    real = SYSTEM_CLOCK.now()  # before the travel: the real time
    if instant < real:
        raise ValueError(f"--at {at!r} is in the past ({real:%Y-%m-%dT%H:%M}Z now): Temporal's clocks cannot go back")
    _offset = instant - real
    _travel = time_machine.travel(instant, tick=True)
    _travel.start()


def stop() -> None:
    """Back to the real time."""
    global _travel, _offset
    if _travel is not None:
        _travel.stop()
        _travel = None
        _offset = timedelta()


def real_now() -> datetime:
    """The machine's real time, even while the session travels: what OpenSSL and the SDK's TLS check certificates by."""
    return SYSTEM_CLOCK.now() - _offset


def traveling() -> bool:
    """Whether the session runs at an instant of its own."""
    return _travel is not None


async def align(environment: WorkflowEnvironment) -> None:
    """Move a time-skipping server's clock forward to the session's, if the session travels."""
    if _travel is None:
        return
    behind = SYSTEM_CLOCK.now() - await environment.get_current_time()
    if behind > timedelta():
        await environment.sleep(behind)


def iin_command(*args: str) -> tuple[list[str], dict[str, str]]:
    """The command line (and environment additions) that runs `iin ARGS` on the session's clock."""
    if _travel is None:
        return [IIN, *args], {}
    offset = str(_offset.total_seconds())
    return [sys.executable, "-m", "tests.timetravel", offset, *args], {"PYTHONPATH": str(REPO_ROOT)}


def _main() -> None:
    offset = timedelta(seconds=float(sys.argv[1]))
    sys.argv = ["iin", *sys.argv[2:]]
    with time_machine.travel(SYSTEM_CLOCK.now() + offset, tick=True):
        from commands.main import app

        app()


if __name__ == "__main__":
    _main()
