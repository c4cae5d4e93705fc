"""Measure `iin register import`: rows per second for extracts of each size, then again (a no-op).

    .venv/bin/python -m bench.register_import --rows 100000 1000000

For each size: writes a synthetic extract (bench/register_extract.py, not timed), imports it into a
fresh, migrated database (on DATABASE_URL's server, or an embedded PostgreSQL) through the code the
command runs (`db.register_import.import_extract`), times the staging (reading, validating, deriving
the name keys, COPY) and each step after it, then imports the same file again. Prints the figures and
writes them to bench/results/register-import-<time>.json. Figures, not a pass or a fail.
"""

import argparse
import asyncio
import csv
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import psutil

from bench.duplicates import bench_database
from bench.output import machine, save_figures
from bench.register_extract import SURNAMES, write_extract
from clock import SYSTEM_CLOCK
from db.migrate import migrate
from db.pool import create_pool
from db.register_import import import_extract


class _Timings:
    """An ImportProgress that records when each stage began."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def begin(self, description: str, total: int | None = None) -> None:
        self.marks.append((description, time.perf_counter()))

    def advance(self, items: int) -> None:
        pass

    def seconds(self, ended: float) -> dict[str, float]:
        """Seconds each stage took."""
        ends = [at for _, at in self.marks[1:]] + [ended]
        return {name: round(end - at, 1) for (name, at), end in zip(self.marks, ends, strict=True)}


def _cpu(process: psutil.Process) -> float:
    # This process's CPU with its reaped children's: the import's worker processes once it ends.
    times = process.cpu_times()
    return float(times.user + times.system + times.children_user + times.children_system)


async def _measure(dsn: str, path: Path) -> dict[str, object]:
    # One connection, so that the import's server process is the one whose CPU is read.
    pool = await create_pool(dsn, min_size=1, max_size=1)
    try:
        await migrate(pool)
        backend = psutil.Process(await pool.fetchval("SELECT pg_backend_pid()"))
        figures: dict[str, object] = {}
        for run in ("first", "again"):
            timings = _Timings()
            python_cpu, server_cpu = _cpu(psutil.Process()), _cpu(backend)
            report = await import_extract(pool, path, SYSTEM_CLOCK.now(), progress=timings)
            ended = time.perf_counter()
            seconds = ended - timings.began
            figures[run] = {
                "seconds": round(seconds, 1),
                "rows_per_second": round(report.rows / seconds),
                # Core-seconds, which a busy machine changes less than it changes the seconds.
                "cpu_seconds": {
                    "python": round(_cpu(psutil.Process()) - python_cpu, 1),
                    "postgres_backend": round(_cpu(backend) - server_cpu, 1),
                },
                "people_added": report.people_added,
                "documents_added": report.documents_added,
                "steps_seconds": timings.seconds(ended),
            }
        async with pool.acquire() as conn:
            figures["name_keys"] = await conn.fetchval("SELECT count(*) FROM people_name_keys")
        return figures
    finally:
        await pool.close()


def _distinct_names(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return len({(r["surname"], r["given_names"], r["patronymic"]) for r in csv.DictReader(handle)})


async def run(sizes: list[int], surnames: int) -> dict[str, object]:
    """Import an extract of each size into a fresh database, twice; the figures of each."""
    results: dict[str, object] = {
        "at": SYSTEM_CLOCK.now().isoformat(),
        "machine": machine(),
        "python": platform.python_version(),
        "surnames": surnames,
        "sizes": {},
    }
    sized: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="iin-bench-extract-") as folder:
        for size in sizes:
            path = Path(folder) / f"extract-{size}.csv"
            print(f"writing {size:,} holders", flush=True)
            write_extract(path, size, seed=size, surnames=surnames)
            load_before = os.getloadavg()[0]  # the machine may be shared: the figures say how busy it was
            async with bench_database() as dsn:
                figures = await _measure(dsn, path)
            figures["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            figures["distinct_names"] = _distinct_names(path)
            figures["file_mb"] = round(path.stat().st_size / 2**20, 1)
            sized[str(size)] = figures
            first, again = figures["first"], figures["again"]
            assert isinstance(first, dict) and isinstance(again, dict)
            print(
                f"{size:,} rows: {first['rows_per_second']:,} rows/s ({first['seconds']} s);"
                f" again (adds nothing): {again['rows_per_second']:,} rows/s ({again['seconds']} s)",
                flush=True,
            )
            print(f"  steps: {json.dumps(first['steps_seconds'])}; cpu: {json.dumps(first['cpu_seconds'])}", flush=True)
    results["sizes"] = sized
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000], help="extract sizes")
    parser.add_argument("--surnames", type=int, default=SURNAMES, help="surname pool of the synthetic extracts")
    args = parser.parse_args()
    results = asyncio.run(run(args.rows, args.surnames))
    print(f"written to {save_figures('register-import', results)}")


if __name__ == "__main__":
    main()
