"""The client installs alone: iin-api-models and iin-client in a fresh virtual environment, no service.

Marked `standalone`, and slower than the other client tests (seconds): each run creates a virtual
environment and pip installs both packages into it, their dependencies from pip's cache or the index.
The script runs in a process of its own, so it reaches the API over a socket (`live_api`).
"""

import asyncio
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from config.settings import REPO_ROOT
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from tests.factories import make_application
from tests.toolkit.api import Keys

pytestmark = pytest.mark.standalone

DISTRIBUTIONS = ("iin-api-models", "iin-client")
# What a backend writes: submit the application filed in a JSON file, follow it, print where it ended.
FOLLOW = """
import asyncio, pathlib, sys
from iin_client import IinClient
from iin_models.application import Application

async def main(base_url: str, api_key: str, path: str) -> None:
    application = Application.model_validate_json(pathlib.Path(path).read_text())
    async with IinClient(base_url, api_key) as iin:
        await iin.submit(application)
        async for status in iin.follow(application.application_id):
            print(status.model_dump_json())

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def standalone_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a fresh virtual environment (no system site packages) holding only the two
    distributions and what they require."""
    root = tmp_path_factory.mktemp("standalone")
    # Copies: pip builds a source tree in place (build/, *.egg-info), which would leave second copies of
    # the modules in the worktree, where mypy and the guard tests read.
    sources = [
        shutil.copytree(
            REPO_ROOT / "packages" / name, root / name, ignore=shutil.ignore_patterns("build", "*.egg-info")
        )
        for name in DISTRIBUTIONS
    ]
    venv.create(root / "venv", with_pip=False)
    python = root / "venv" / "bin" / "python"
    # This environment's pip installs into the new one (`--python`): no pip of its own to bootstrap there.
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", *map(str, sources)], check=True, timeout=300)
    return python


def _isolated() -> dict[str, str]:
    """The environment of a process that must not see the service's sources or packages."""
    return {name: value for name, value in os.environ.items() if name not in {"PYTHONPATH", "VIRTUAL_ENV"}}


def _run(python: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-c", code], cwd=python.parents[2], env=_isolated(), capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("module", ["temporalio", "fastapi", "asyncpg", "api"])
def test_the_standalone_client_imports_without_the_service_or_its_dependencies(
    standalone_python: Path, module: str
) -> None:
    ran = _run(standalone_python, f"import iin_client, {module}")

    assert f"No module named '{module}'" in ran.stderr, ran.stderr


def test_verify_webhook_without_its_extra_says_how_to_install_it(standalone_python: Path) -> None:
    ran = _run(standalone_python, "from iin_client import verify_webhook; verify_webhook('whsec_x', '{}', {})")

    assert "pip install 'iin-client[webhooks]'" in ran.stderr, ran.stderr


async def test_the_standalone_client_follows_an_application_to_its_certificate(
    standalone_python: Path, live_api: str, keys: Keys, tmp_path: Path
) -> None:
    application = make_application()
    filed = tmp_path / "application.json"
    filed.write_text(application.model_dump_json(), encoding="utf-8")

    # Asynchronously: the API the script calls is served by this test's own event loop.
    process = await asyncio.create_subprocess_exec(
        str(standalone_python),
        "-c",
        FOLLOW,
        live_api,
        keys.ankara,
        str(filed),
        cwd=standalone_python.parents[2],
        env=_isolated(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        printed, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert process.returncode == 0, errors.decode()
    final = ApplicationStatus.model_validate_json(printed.splitlines()[-1])
    assert (final.application_id, final.state) == (application.application_id, ApplicationState.CERTIFICATE_ISSUED)
