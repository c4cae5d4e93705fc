"""Measure the national register as it grows: the duplicate check and a formation, embedded and
through the remote adapter, at 1, 4 and 16 million registered people, with what each size costs.

    .venv/bin/python -m bench.register_scale --sizes 1000000 4000000 16000000

One fresh database (DATABASE_URL's server, or an embedded PostgreSQL) grows to each size in turn:
- the probes' population (bench/synthetic.py, `--population` people) is loaded first, with the name
  keys `rules/matching.py` derives, so the probes (half duplicates, half strangers) have real answers;
- the rest of each size is filler made in SQL: people with syllable names, one document and six name
  keys each (the mean `registry_keys` gives), birth dates spread over the same 58 years, so that the
  tables, their indexes and the people born on each day are those of a register of that size. The
  bench drops the indexes while it adds filler and builds them again after: the build time is a bulk
  load's, not the import's;
- at each size: the database's disk, the time the growth took, the duplicate check's latency
  (`register.matching.find_matches`, what `check_duplicates` runs) through `EmbeddedRegister` and
  through `RemoteRegister` to `iin register-simulator` (its own process, on the same database), a
  formation through each, and an import of `--import-rows` new holders (`iin register import`).
The figures go to bench/results/register-scale-*.json. Figures, not a pass or a fail.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx

from bench.duplicates import application_of, bench_database, load_registry, say
from bench.output import results_file, write_figures
from bench.register_extract import write_extract
from bench.synthetic import CITIZENSHIPS, LATIN_GIVEN, LATIN_SYLLABLES, new_person, probes, registry
from clock import SYSTEM_CLOCK
from db.migrate import migrate
from db.pool import Connection, create_pool
from db.register_import import import_extract
from iin_models.application import Application
from iin_models.national_register import Registrant
from register.embedded import EmbeddedRegister
from register.matching import find_matches
from register.port import NationalRegister
from register.remote import RemoteRegister

# Filler IINs begin 5000..., which no real IIN does (month 00), so they never meet the probes' or an
# extract's. Added in steps of STEP people, one statement each.
STEP = 1_000_000
KEYS_PER_PERSON = 6
# The indexes (and primary keys) the filler is added without: (how to drop it, how to build it).
INDEXES = (
    ("ALTER TABLE people DROP CONSTRAINT people_pkey", "ALTER TABLE people ADD PRIMARY KEY (iin)"),
    ("DROP INDEX people_birth_date", "CREATE INDEX people_birth_date ON people (birth_date)"),
    (
        "ALTER TABLE person_documents DROP CONSTRAINT person_documents_pkey",
        "ALTER TABLE person_documents ADD PRIMARY KEY (issuing_state, number)",
    ),
    ("DROP INDEX person_documents_number", "CREATE INDEX person_documents_number ON person_documents (number)"),
    (
        "ALTER TABLE people_name_keys DROP CONSTRAINT people_name_keys_pkey",
        "ALTER TABLE people_name_keys ADD PRIMARY KEY (birth_date, name_key, iin)",
    ),
)
# Filler people numbered $1 to $2: a Latin surname of two to four syllables ($4) and a given name ($5)
# hashed from the number, so that every run makes the same register; a document each, and $6 name
# keys (the name key and variants of it, the last a partial one).
FILLER = """
WITH added AS (
    INSERT INTO people (iin, surname, given_names, name_key, sex, birth_date, citizenship)
    SELECT lpad((500000000000 + g)::text, 12, '0'), f.surname, f.given, upper(f.given || ' ' || f.surname),
           CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
           date '1950-01-01' + (abs(hashint8(g * 7)) % (365 * 58))::int,
           ($3::text[])[1 + abs(hashint8(g * 11)) % cardinality($3::text[])]
    FROM generate_series($1::bigint, $2::bigint) g
    CROSS JOIN LATERAL (
        SELECT initcap(string_agg(($4::text[])[1 + abs(hashint8(g * 13 + s)) % cardinality($4::text[])], ''))
                 AS surname,
               ($5::text[])[1 + abs(hashint8(g * 17)) % cardinality($5::text[])] AS given
        FROM generate_series(1, 2 + (abs(hashint8(g * 19)) % 3)::int) s
    ) f
    RETURNING iin, name_key, birth_date, citizenship
), documents AS (
    INSERT INTO person_documents (issuing_state, number, iin)
    SELECT citizenship, 'Q' || right(iin, 9), iin FROM added
)
INSERT INTO people_name_keys (birth_date, name_key, iin, full_name)
SELECT a.birth_date, CASE WHEN k = 1 THEN a.name_key ELSE a.name_key || ' ' || repeat('I', k) END, a.iin, k < $6
FROM added a CROSS JOIN generate_series(1, $6::int) k"""
SIZES = """SELECT pg_database_size(current_database()) AS database,
    pg_total_relation_size('people') AS people, pg_total_relation_size('person_documents') AS documents,
    pg_total_relation_size('people_name_keys') AS name_keys"""


async def grow(conn: Connection, filler: range) -> float:
    """Add the filler people numbered `filler`; return the seconds it took, indexes built again."""
    started = time.perf_counter()
    for drop, _ in INDEXES:
        await conn.execute(drop)
    for low in range(filler.start, filler.stop, STEP):
        high = min(low + STEP, filler.stop) - 1
        await conn.execute(FILLER, low, high, CITIZENSHIPS, LATIN_SYLLABLES, LATIN_GIVEN, KEYS_PER_PERSON)
        say(f"  filler {high:>12,} ({time.perf_counter() - started:.0f} s)")
    for _, build in INDEXES:
        await conn.execute(build)
    await conn.execute("VACUUM ANALYZE")
    say(f"  indexes built, vacuumed ({time.perf_counter() - started:.0f} s)")
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def simulator(dsn: str) -> AsyncIterator[str]:
    """`iin register-simulator` in a process of its own on `dsn`; yields its base URL."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("iin")), "register-simulator", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(*command, "--database-url", dsn)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                try:
                    if (await http.get(f"{url}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield url
    finally:
        process.terminate()
        await process.wait()


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of `samples` (milliseconds), rounded."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50": round(cuts[49], 2),
        "p95": round(cuts[94], 2),
        "p99": round(cuts[98], 2),
        "max": round(max(samples), 2),
    }


async def _timed(calls: list[Callable[[], Awaitable[object]]]) -> list[float]:
    latencies = []
    for call in calls:
        started = time.perf_counter()
        await call()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def checks(register: NationalRegister, applications: list[Application], warm_up: int) -> dict[str, float]:
    """The duplicate check's latency for each application, one at a time, after `warm_up` unmeasured."""

    def check(application: Application) -> Callable[[], Awaitable[object]]:
        return lambda: find_matches(register, application)

    await _timed([check(a) for a in applications[:warm_up]])
    return percentiles(await _timed([check(a) for a in applications[warm_up:]]))


async def formations(register: NationalRegister, seed: int, count: int) -> dict[str, float]:
    """The latency of forming an IIN for `count` new people (each registered, so the register grows)."""
    rng = random.Random(seed)
    registrants = [Registrant.of(application_of(new_person(rng, ""))) for _ in range(count)]

    def form(registrant: Registrant) -> Callable[[], Awaitable[object]]:
        return lambda: register.form(registrant)

    return percentiles(await _timed([form(r) for r in registrants]))


async def import_into(pool: asyncpg.Pool, rows: int, index: int) -> dict[str, float]:
    """Import `rows` new holders into the register as it is; their rows per second."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.csv"
        write_extract(path, rows, seed=100 + index, first_serial=1000 * (index + 1))
        started = time.perf_counter()
        report = await import_extract(pool, path, SYSTEM_CLOCK.now())
        seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "people_added": report.people_added,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
    }


async def main(sizes: list[int], population: int, probe_count: int, import_rows: int, seed: int) -> None:
    say(f"generating {population:,} people and {probe_count:,} probes (seed {seed})")
    people = list(registry(seed, population))
    applications = [application_of(p.person) for p in probes(people, seed + 1, probe_count)]
    figures: dict[str, object] = {"at": SYSTEM_CLOCK.now().isoformat(), "cpus": os.cpu_count(), "sizes": []}
    out = results_file("register-scale")
    async with bench_database() as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=4)
        try:
            await migrate(pool)
            await load_registry(pool, people)
            registered = population
            async with simulator(dsn) as url:
                remote = RemoteRegister(url)
                embedded = EmbeddedRegister(pool)
                for index, size in enumerate(sizes):
                    say(f"growing to {size:,} people")
                    async with pool.acquire() as conn:
                        await conn.execute("SET statement_timeout = 0")
                        await conn.execute("SET maintenance_work_mem = '1GB'")
                        # Filler people are numbered from 1; the population came first.
                        build = await grow(conn, range(registered - population + 1, size - population + 1))
                        disk = dict(await conn.fetchrow(SIZES) or {})
                    registered = size
                    load_before = os.getloadavg()[0]
                    row: dict[str, object] = {
                        "people": size,
                        "build_s": round(build, 1),
                        "disk_bytes": disk,
                        "check_embedded_ms": await checks(embedded, applications, warm_up=200),
                        "check_remote_ms": await checks(remote, applications, warm_up=200),
                        "form_embedded_ms": await formations(embedded, seed + 10 + index, 200),
                        "form_remote_ms": await formations(remote, seed + 20 + index, 200),
                        "import": await import_into(pool, import_rows, index),
                    }
                    # Other work on the machine shows in the latencies: the load before and after.
                    row["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
                    say(json.dumps(row))
                    figures["sizes"].append(row)  # type: ignore[attr-defined]
                    # After each size: an hour's run stopped at the largest keeps the smaller ones.
                    write_figures(out, figures)
                await remote.aclose()
        finally:
            await pool.close()
    say(f"written to {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 4_000_000, 16_000_000])
    parser.add_argument("--population", type=int, default=20_000, help="people the probes are made from")
    parser.add_argument("--probes", type=int, default=2_200, help="duplicate checks per size and adapter")
    parser.add_argument("--import-rows", type=int, default=100_000, help="holders imported at each size")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    asyncio.run(main(args.sizes, args.population, args.probes, args.import_rows, args.seed))
