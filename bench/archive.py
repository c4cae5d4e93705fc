"""Measure the history archive: bytes per application, append rate, and the time to verify the chain.

    .venv/bin/python -m bench.archive --applications 10000

Starts a throwaway stack (bench/stack.py), runs real applications (bench/throughput.py's mix: about
80% certificates, the rest refused on each ground) through a worker sealing payloads with the codec,
archives them with the sweep, then archives copies of those real histories under fresh application
ids until the archive holds N rows. It then times `iin archive verify` as an auditor runs it (a new
process, the chain streamed through a server-side cursor), and prints the figures. Not part of the
test suite: it prints figures, it does not pass or fail.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.progress import Progress
from temporalio.client import Client

from activities.archive import sweep
from bench.output import save_figures
from bench.stack import bench_stack
from bench.throughput import application_mix
from clock import SYSTEM_CLOCK
from codec.converter import build_data_converter
from codec.keys import KeyRing
from db.archive import append, verify
from db.pool import create_pool
from schemas.contract import workflow_id
from service.intake import submit
from tests.factories import make_application
from workers.worker import build_worker

console = Console()
QUEUE = "bench-archive"
IIN = str(Path(sys.executable).with_name("iin"))


async def _real_histories(client: Client, pool: asyncpg.Pool, count: int) -> None:
    registered = [make_application() for _ in range(20)]
    async with build_worker(client, pool, QUEUE):
        for application in registered:  # the people the duplicate cases collide with
            await (await submit(client, pool, application, QUEUE, now=SYSTEM_CLOCK.now())).handle.result()

        async def one(i: int) -> None:
            await (
                await submit(client, pool, application_mix(i, registered), QUEUE, now=SYSTEM_CLOCK.now())
            ).handle.result()

        await asyncio.gather(*(one(i) for i in range(count)))
    report = await sweep(client, pool)
    console.print(f"real applications archived by the sweep: {report.archived}")


async def _copies(pool: asyncpg.Pool, total: int) -> float:
    """Archive copies of the real rows under fresh ids until there are `total` rows; appends per second."""
    real = await pool.fetch("SELECT state, closed_at, history FROM history_archive ORDER BY seq")
    missing = total - len(real)
    started = time.perf_counter()
    with Progress(console=console) as progress:
        task = progress.add_task("appending copies", total=missing)
        for i in range(missing):
            model = real[i % len(real)]
            application_id = uuid.uuid4()
            await append(
                pool, application_id, workflow_id(application_id), "bench", model["state"], model["closed_at"],
                model["history"], SYSTEM_CLOCK.now(),
            )  # fmt: skip
            progress.advance(task)
    return missing / (time.perf_counter() - started)


def _verify_command(database_url: str) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200"}
    started = time.perf_counter()
    done = subprocess.run([IIN, "archive", "verify"], env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout.strip()


async def run(applications: int, real_count: int) -> dict[str, object]:
    async with bench_stack() as stack:
        sealed = await Client.connect(
            stack.temporal_address, data_converter=build_data_converter(KeyRing.parse(stack.codec_keys))
        )
        pool = await create_pool(stack.database_url, min_size=2, max_size=10)
        try:
            await _real_histories(sealed, pool, real_count)
            appends_per_second = await _copies(pool, applications)
            await pool.execute("VACUUM ANALYZE history_archive")
            sizes = await pool.fetchrow(
                "SELECT count(*) AS rows, avg(octet_length(history)) AS raw, avg(pg_column_size(history)) AS stored,"
                " pg_total_relation_size('history_archive') AS total FROM history_archive"
            )
            assert sizes is not None
            in_process = []
            for _ in range(3):
                started = time.perf_counter()
                result = await verify(pool)
                in_process.append(time.perf_counter() - started)
                assert result.intact and result.rows == applications, result.breaks[:3]
            command_seconds, command_output = _verify_command(stack.database_url)
        finally:
            await pool.close()
    figures: dict[str, object] = {
        "rows": sizes["rows"],
        "real_histories": real_count,
        "history_bytes_raw_mean": round(float(sizes["raw"])),
        "history_bytes_stored_mean": round(float(sizes["stored"])),
        "table_bytes_per_application": round(sizes["total"] / sizes["rows"]),
        "appends_per_second": round(appends_per_second),
        "verify_seconds_in_process": [round(s, 2) for s in in_process],
        "verify_seconds_median_in_process": round(statistics.median(in_process), 2),
        "iin_archive_verify_seconds": round(command_seconds, 2),
        "iin_archive_verify_output": command_output,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000, help="rows the archive holds when verified")
    parser.add_argument("--real", type=int, default=60, help="real applications run through the worker first")
    args = parser.parse_args()
    figures = asyncio.run(run(args.applications, args.real))
    for key, value in figures.items():
        console.print(f"{key:36} {value}")
    console.print(f"written to {save_figures('archive', figures)}")


if __name__ == "__main__":
    main()
