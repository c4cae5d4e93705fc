"""Measure the duplicate check: precision and recall per band, and its latency, on a large registry.

    .venv/bin/python -m bench.duplicates --people 1000000 --probes 10000

Builds a labelled synthetic registry (bench/synthetic.py), bulk-loads it with COPY into a fresh
database (on DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory), then runs
`db.registry.find_matches`, the check `check_duplicates` and `form_iin` make, for every probe, one at
a time, and prints what each band caught, the latency percentiles and the plans of the queries.
Not part of the test suite: it prints figures, it does not pass or fail.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import date

import asyncpg

from bench.synthetic import Person, Probe, probes, registry
from clock import SYSTEM_CLOCK
from db import registry as registry_db
from db.migrate import migrate
from db.pool import create_pool
from rules.matching import SIMILAR_NAME, Band, probe_for, registry_keys
from rules.names import name_key
from schemas.application import Applicant, Application, IdentityDocument
from schemas.enums import DocumentKind, Sex
from tests.toolkit.databases import Contents, fresh_database, postgres_server

CHUNK = 50_000


def say(text: str) -> None:
    print(text, flush=True)


@asynccontextmanager
async def bench_database() -> AsyncIterator[str]:
    """A fresh database on DATABASE_URL's server or on an embedded PostgreSQL, dropped afterwards."""
    async with (
        postgres_server("iin-bench-pg-") as server,
        fresh_database(server, "bench", Contents.EMPTY) as database,
    ):
        yield database.dsn


def _chunks(people: Iterator[Person], size: int) -> Iterator[list[Person]]:
    chunk: list[Person] = []
    for person in people:
        chunk.append(person)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def load_registry(pool: asyncpg.Pool, people: Sequence[Person]) -> None:
    """COPY the people, their documents and their name keys into the registry tables."""
    started = time.perf_counter()
    async with pool.acquire() as conn:
        for done, chunk in enumerate(_chunks(iter(people), CHUNK), start=1):
            await conn.copy_records_to_table(
                "people",
                columns=["iin", "surname", "given_names", "name_key", "sex", "birth_date", "citizenship"],
                records=[
                    (
                        p.iin,
                        p.surname,
                        p.given_names,
                        name_key(p.surname, p.given_names),
                        p.sex,
                        p.birth_date,
                        p.citizenship,
                    )
                    for p in chunk
                ],
            )
            await conn.copy_records_to_table(
                "person_documents",
                columns=["issuing_state", "number", "iin"],
                records=[(p.issuing_state, p.number, p.iin) for p in chunk],
            )
            key_rows = []
            for p in chunk:
                keys = registry_keys(p.surname, p.given_names, p.patronymic)
                key_rows += [(p.birth_date, k, p.iin, True) for k in keys.full]
                key_rows += [(p.birth_date, k, p.iin, False) for k in keys.partial]
            await conn.copy_records_to_table(
                "people_name_keys", columns=["birth_date", "name_key", "iin", "full_name"], records=key_rows
            )
            say(f"  loaded {done * CHUNK:>9,} people  ({time.perf_counter() - started:.0f} s)")
        await conn.execute("ANALYZE")


def application_of(person: Person) -> Application:
    """The application a probe person files (only the fields the check reads matter)."""
    return Application(
        application_id=uuid.uuid4(),
        establishment_id="emb-tr-ankara",
        submitted_at=SYSTEM_CLOCK.now(),
        officer_id="bench",
        original_compared=True,
        applicant=Applicant(
            surname=person.surname,
            given_names=person.given_names,
            patronymic=person.patronymic,
            sex=Sex(person.sex),
            birth_date=person.birth_date,
            citizenship=person.citizenship,
        ),
        document=IdentityDocument(
            kind=DocumentKind.PASSPORT,
            number=person.number,
            issuing_state=person.issuing_state,
            issued_on=date(2020, 1, 1),
            particulars_in_latin_or_cyrillic=True,
        ),
    )


def _band(matches: list[registry_db.RegistryMatch]) -> str:
    bands = {m.band for m in matches}
    return Band.CERTAIN if Band.CERTAIN in bands else Band.PROBABLE if bands else "none"


async def measure(pool: asyncpg.Pool, labelled: list[Probe]) -> None:
    """Run the check for every probe; print bands per label and kind, and latency percentiles."""
    outcomes: Counter[tuple[str, str]] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    wrong_person = 0
    latencies = []
    async with pool.acquire() as conn:
        for probe in labelled:
            application = application_of(probe.person)
            started = time.perf_counter()
            matches = await registry_db.find_matches(conn, application)
            latencies.append((time.perf_counter() - started) * 1000)
            band = _band(matches)
            label = "duplicate" if probe.truth else "stranger"
            if probe.truth and band != "none" and probe.truth not in {m.iin for m in matches}:
                wrong_person += 1
                band = "none"  # found someone, but not the person: the duplicate was missed
            outcomes[label, band] += 1
            by_kind[probe.kind, band] += 1
    _report(outcomes, by_kind, wrong_person, latencies)


def _report(
    outcomes: Counter[tuple[str, str]], by_kind: Counter[tuple[str, str]], wrong_person: int, latencies: list[float]
) -> None:
    duplicates = sum(n for (label, _), n in outcomes.items() if label == "duplicate")
    strangers = sum(n for (label, _), n in outcomes.items() if label == "stranger")
    say(f"\nprobes: {duplicates} duplicates, {strangers} strangers")
    say(f"{'band':<10}{'duplicates':>11}{'strangers':>10}{'precision':>11}{'recall':>9}")
    for band in (Band.CERTAIN, Band.PROBABLE, "none"):
        dup, strange = outcomes["duplicate", band], outcomes["stranger", band]
        precision = dup / (dup + strange) if dup + strange else float("nan")
        say(f"{band:<10}{dup:>11}{strange:>10}{precision:>11.4f}{dup / duplicates:>9.4f}")
    caught = outcomes["duplicate", Band.CERTAIN] + outcomes["duplicate", Band.PROBABLE]
    say(f"recall of duplicates into already_registered or awaiting_review: {caught / duplicates:.4f} (target >= 0.99)")
    say(f"strangers auto-rejected as already_registered: {outcomes['stranger', Band.CERTAIN]} (target 0)")
    say(f"strangers sent to review: {outcomes['stranger', Band.PROBABLE] / strangers:.4f} (target <= 0.02)")
    say(f"duplicates matched to another person only: {wrong_person}")
    say("\nby kind (certain / probable / none):")
    for kind in sorted({kind for kind, _ in by_kind}):
        say(f"  {kind:<20}{by_kind[kind, Band.CERTAIN]:>7}{by_kind[kind, Band.PROBABLE]:>7}{by_kind[kind, 'none']:>7}")
    quantiles = statistics.quantiles(latencies, n=100)
    say(
        f"\nlatency of the check (ms): p50 {quantiles[49]:.2f}  p95 {quantiles[94]:.2f}"
        f"  p99 {quantiles[98]:.2f}  max {max(latencies):.2f}  (target p95 < 20)"
    )


async def explain(pool: asyncpg.Pool, person: Person) -> None:
    """Print the plans of the registry's queries for one probe, as executed."""
    probe = probe_for(application_of(person))
    keys = sorted(probe.keys.full | probe.keys.partial)
    dates = sorted(probe.similar_name_dates)
    async with pool.acquire() as conn:
        for title, query, args in (
            ("document", registry_db.DOCUMENT_QUERY, [probe.number]),
            ("keys", registry_db.KEY_QUERY, [[probe.birth_date], keys]),
            ("similar", registry_db.SIMILAR_QUERY, [dates, sorted(probe.spellings), SIMILAR_NAME]),
        ):
            plan = await conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {query}", *args)
            say(f"\nplan ({title}):")
            for row in plan:
                say(f"  {row[0]}")


async def main(people_count: int, probe_count: int, seed: int) -> None:
    say(f"generating {people_count:,} people (seed {seed})")
    people = list(registry(seed, people_count))
    labelled = list(probes(people, seed + 1, probe_count))
    async with bench_database() as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=2)
        try:
            await migrate(pool)
            await load_registry(pool, people)
            await explain(pool, labelled[0].person)
            await measure(pool, labelled)
        finally:
            await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000_000, help="registered people (default 1,000,000)")
    parser.add_argument("--probes", type=int, default=10_000, help="applications checked (half duplicates)")
    parser.add_argument("--seed", type=int, default=2024)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.probes, arguments.seed))
