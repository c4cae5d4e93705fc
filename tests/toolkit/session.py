"""The session's options and markers: `--at`, `--workflow-environment`, and `fast` for tests that need no stack.

`fast` is not written by hand: a test gets it when none of its fixtures, however indirectly, starts
PostgreSQL or the dev server, and it is not a fault test. `make test-fast` runs those (`pytest -m fast`).
"""

import os

import pytest

from clock import SYSTEM_CLOCK
from tests import timetravel
from tests.toolkit.environments import OPTION, OPTION_ENV, TIME_SKIPPING, check_choice

# The fixtures behind which PostgreSQL or a dev server starts. `workflow_env` is not one of them: by
# default it is the time-skipping server, which starts in a second.
STACK_FIXTURES = frozenset({"server_dsn", "dev_env"})
# Tests that start servers of their own (tests/faults/harness.py) rather than through fixtures, and
# those that build a virtual environment of their own (tests/client/test_standalone_install.py).
SLOW_MARKERS = frozenset({"faults", "standalone"})


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--at INSTANT` and `--workflow-environment ENV`."""
    parser.addoption(
        "--at",
        default=os.environ.get(timetravel.AT_ENV),
        help="run the suite at this instant (ISO 8601 with offset, not in the past), ticking from there",
    )
    parser.addoption(
        OPTION,
        default=os.environ.get(OPTION_ENV, TIME_SKIPPING),
        type=check_choice,
        help=f"the Temporal server of the workflow tests: {TIME_SKIPPING} (default; the tests that need "
        "visibility get a dev server), local (a dev server for all), or HOST:PORT of a running server "
        f"(also {OPTION_ENV})",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Travel to `--at`, if given."""
    timetravel.start(config.getoption("--at"))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Back to the real time."""
    timetravel.stop()


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The session's clock and Temporal server, first thing in the output."""
    return [
        f"clock: {SYSTEM_CLOCK.now().isoformat()} ({'--at' if timetravel.traveling() else 'real time'})",
        f"workflow environment: {config.getoption(OPTION)}",
    ]


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `fast` every test whose fixtures start neither PostgreSQL nor the dev server."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        marked = {mark.name for mark in item.iter_markers()}
        if not needs & STACK_FIXTURES and not marked & SLOW_MARKERS:
            item.add_marker(pytest.mark.fast)
