"""A throwaway stack for benchmarks: embedded PostgreSQL and a file-backed dev server in a temp dir."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from codec.keys import new_key_entry
from config.settings import REPO_ROOT
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data, open_local_window
from workers import embedded
from workers.embedded import free_port


@dataclass
class BenchStack:
    database_url: str
    temporal_address: str
    codec_keys: str
    server: psutil.Process
    postgres: psutil.Process
    root: Path

    def spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """A worker process of the stack, its output in `<name>.log` under the stack's folder."""
        return spawn_python(args, env, self.root / f"{name}.log")


def spawn_python(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`python <args>` of a bench run, with this environment and `env` over it, its output in `log`."""
    merged = {**os.environ, **env}
    # Bytecode may be written: a sandboxed worker re-imports the workflow module for every run, and compiling
    # it from source each time (PYTHONDONTWRITEBYTECODE, set on these machines) costs ~2 ms per application.
    merged.pop("PYTHONDONTWRITEBYTECODE", None)
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, *args], env=merged, stdout=out, stderr=subprocess.STDOUT)


@asynccontextmanager
async def bench_stack() -> AsyncIterator[BenchStack]:
    """Start PostgreSQL and Temporal (file-backed, as `make up` runs it) in a temp dir; stop both after."""
    root = Path(tempfile.mkdtemp(prefix="iin-bench-"))
    postgres: Any = embedded.start_postgres(root)
    port = free_port()
    temporal = embedded.start_temporal(root, port, free_port(), "default")
    try:
        await embedded.wait_for_port(port, temporal)
        database_url = await embedded.ensure_database(postgres.get_uri(), "iin")
        pool = await create_pool(database_url, min_size=1, max_size=2)
        await migrate(pool)
        await load_reference_data(pool, REPO_ROOT / "data")
        await open_local_window(pool)
        await pool.close()
        # The postmaster's pid is the first line of its pid file; its backends are its children.
        postmaster = int((root / "postgres" / "postmaster.pid").read_text(encoding="ascii").split()[0])
        yield BenchStack(
            database_url,
            f"127.0.0.1:{port}",
            new_key_entry("bench-1"),
            psutil.Process(temporal.pid),
            psutil.Process(postmaster),
            root,
        )
    finally:
        embedded.stop_process(temporal)
        postgres.cleanup()
        shutil.rmtree(root, ignore_errors=True)
