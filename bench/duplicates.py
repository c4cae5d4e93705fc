"""Measure the duplicate check: precision and recall per band, and its latency, on a large registry.

    .venv/bin/python -m bench.duplicates --people 1000000 --probes 10000 --romanized 4000

Builds a labelled synthetic registry (bench/synthetic.py) and a population of real names spelt by
two romanisation systems (bench/romanized.py), bulk-loads them with COPY into a fresh database (on
DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory), then runs
`db.registry.find_matches`, the check `check_duplicates` and `form_iin` make, for every probe, one at
a time, and prints what each band caught (for each population), the name keys per person, the
latency percentiles and the plans of the queries; the figures go to bench/results/duplicates-*.json.
Not part of the test suite: it prints figures, it does not pass or fail.
"""

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date

import asyncpg

from bench.output import save_figures
from bench.romanized import romanized_cases
from bench.synthetic import Person, Probe, probes, registry
from clock import SYSTEM_CLOCK
from db import registry as registry_db
from db.migrate import migrate
from db.pool import create_pool
from iin_models.application import Applicant, Application, IdentityDocument
from iin_models.enums import DocumentKind, Sex
from rules.matching import SIMILAR_NAME, Band, probe_for, registry_keys
from rules.names import name_key
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


Rows = tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]], list[int]]


def _rows(chunk: list[Person]) -> Rows:
    # The rows of people, person_documents and people_name_keys for a chunk, and each person's count
    # of keys, in a worker process: reading Latin names back into Cyrillic makes keys the slow part.
    people: list[tuple[object, ...]] = [
        (p.iin, p.surname, p.given_names, name_key(p.surname, p.given_names), p.sex, p.birth_date, p.citizenship)
        for p in chunk
    ]
    documents: list[tuple[object, ...]] = [(p.issuing_state, p.number, p.iin) for p in chunk]
    keys: list[tuple[object, ...]] = []
    counts = []
    for p in chunk:
        name_keys = registry_keys(p.surname, p.given_names, p.patronymic)
        keys += [(p.birth_date, k, p.iin, True) for k in name_keys.full]
        keys += [(p.birth_date, k, p.iin, False) for k in name_keys.partial]
        counts.append(len(name_keys.full) + len(name_keys.partial))
    return people, documents, keys, counts


async def load_registry(pool: asyncpg.Pool, people: Sequence[Person]) -> list[int]:
    """COPY the people, their documents and their name keys into the registry tables; return how
    many keys each person has."""
    started = time.perf_counter()
    counts: list[int] = []
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as workers:
        chunks = workers.map(_rows, _chunks(iter(people), CHUNK))
        async with pool.acquire() as conn:
            for done, (people_rows, document_rows, key_rows, key_counts) in enumerate(chunks, start=1):
                counts += key_counts
                await conn.copy_records_to_table(
                    "people",
                    columns=["iin", "surname", "given_names", "name_key", "sex", "birth_date", "citizenship"],
                    records=people_rows,
                )
                await conn.copy_records_to_table(
                    "person_documents", columns=["issuing_state", "number", "iin"], records=document_rows
                )
                await conn.copy_records_to_table(
                    "people_name_keys", columns=["birth_date", "name_key", "iin", "full_name"], records=key_rows
                )
                say(f"  loaded {done * CHUNK:>9,} people  ({time.perf_counter() - started:.0f} s)")
            await conn.execute("ANALYZE")
    return counts


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


@dataclass
class Tally:
    """What the check answered for one population of probes."""

    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)  # (duplicate | stranger, band)
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, band)
    wrong_person: int = 0
    latencies: list[float] = field(default_factory=list)


async def measure(pool: asyncpg.Pool, labelled: list[Probe]) -> Tally:
    """Run the check for every probe; count bands per label and kind, and time each check."""
    tally = Tally()
    async with pool.acquire() as conn:
        for probe in labelled:
            application = application_of(probe.person)
            started = time.perf_counter()
            matches = await registry_db.find_matches(conn, application)
            tally.latencies.append((time.perf_counter() - started) * 1000)
            band = _band(matches)
            label = "duplicate" if probe.truth else "stranger"
            if probe.truth and band != "none" and probe.truth not in {m.iin for m in matches}:
                tally.wrong_person += 1
                band = "none"  # found someone, but not the person: the duplicate was missed
            tally.outcomes[label, band] += 1
            tally.by_kind[probe.kind, band] += 1
    return tally


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def bands(tally: Tally) -> dict[str, dict[str, float]]:
    """Duplicates and strangers per band, with precision and recall; "caught" is certain + probable."""
    duplicates = sum(n for (label, _), n in tally.outcomes.items() if label == "duplicate")
    rows: dict[str, dict[str, float]] = {}
    for band, counted in (
        (Band.CERTAIN, (Band.CERTAIN,)),
        (Band.PROBABLE, (Band.PROBABLE,)),
        ("caught", (Band.CERTAIN, Band.PROBABLE)),
        ("none", ("none",)),
    ):
        dup = sum(tally.outcomes["duplicate", b] for b in counted)
        strange = sum(tally.outcomes["stranger", b] for b in counted)
        rows[str(band)] = {
            "duplicates": dup,
            "strangers": strange,
            "precision": _ratio(dup, dup + strange),
            "recall": _ratio(dup, duplicates),
        }
    return rows


def report(title: str, tally: Tally) -> None:
    """Print the bands, the targets and each kind's bands of one population."""
    outcomes = tally.outcomes
    duplicates = sum(n for (label, _), n in outcomes.items() if label == "duplicate")
    strangers = sum(n for (label, _), n in outcomes.items() if label == "stranger")
    say(f"\n{title}: {duplicates} duplicates, {strangers} strangers")
    say(f"{'band':<10}{'duplicates':>11}{'strangers':>10}{'precision':>11}{'recall':>9}")
    for band, row in bands(tally).items():
        precision = "" if band == "none" else f"{row['precision']:.4f}"
        say(f"{band:<10}{row['duplicates']:>11.0f}{row['strangers']:>10.0f}{precision:>11}{row['recall']:>9.4f}")
    caught = outcomes["duplicate", Band.CERTAIN] + outcomes["duplicate", Band.PROBABLE]
    say(f"recall of duplicates into already_registered or awaiting_review: {caught / duplicates:.4f} (target >= 0.99)")
    say(f"strangers auto-rejected as already_registered: {outcomes['stranger', Band.CERTAIN]} (target 0)")
    say(f"strangers sent to review: {outcomes['stranger', Band.PROBABLE] / strangers:.4f} (target <= 0.02)")
    say(f"duplicates matched to another person only: {tally.wrong_person}")
    say("by kind (certain / probable / none):")
    for kind in sorted({kind for kind, _ in tally.by_kind}):
        counts = [tally.by_kind[kind, band] for band in (Band.CERTAIN, Band.PROBABLE, "none")]
        say(f"  {kind:<22}{counts[0]:>7}{counts[1]:>7}{counts[2]:>7}")


def latency(latencies: list[float]) -> dict[str, float]:
    """Percentiles of the check's latency in milliseconds."""
    quantiles = statistics.quantiles(latencies, n=100)
    return {"p50": quantiles[49], "p95": quantiles[94], "p99": quantiles[98], "max": max(latencies)}


def keys_per_person(counts: list[int]) -> dict[str, float]:
    """How many name keys (full and partial) registering each person wrote: mean, p99 and max."""
    ordered = sorted(counts)
    return {"mean": statistics.fmean(ordered), "p99": ordered[len(ordered) * 99 // 100], "max": ordered[-1]}


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


async def main(people_count: int, probe_count: int, romanized_count: int, seed: int) -> None:
    say(f"generating {people_count:,} people (seed {seed}) and {romanized_count:,} romanised cases")
    people = list(registry(seed, people_count))
    labelled = list(probes(people, seed + 1, probe_count))
    cases = list(romanized_cases(seed + 2, romanized_count, first_index=people_count))
    registered = people + [case.registered for case in cases]
    async with bench_database() as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=2)
        try:
            await migrate(pool)
            key_counts = await load_registry(pool, registered)
            await explain(pool, labelled[0].person)
            synthetic = await measure(pool, labelled)
            romanized = await measure(pool, [case.probe for case in cases])
        finally:
            await pool.close()
    report("synthetic probes", synthetic)
    report("romanised probes (bench/romanized.py)", romanized)
    keys = keys_per_person(key_counts)
    say(f"\nname keys per registered person: mean {keys['mean']:.2f}, p99 {keys['p99']:.0f}, max {keys['max']:.0f}")
    checks = latency(synthetic.latencies + romanized.latencies)
    say(
        f"latency of the check (ms): p50 {checks['p50']:.2f}  p95 {checks['p95']:.2f}"
        f"  p99 {checks['p99']:.2f}  max {checks['max']:.2f}  (target p95 < 20)"
    )
    figures = {
        "at": SYSTEM_CLOCK.now().isoformat(),
        "people": people_count,
        "seed": seed,
        "synthetic": {"bands": bands(synthetic), "by_kind": _by_kind(synthetic)},
        "romanized": {"bands": bands(romanized), "by_kind": _by_kind(romanized)},
        "keys_per_person": keys,
        "latency_ms": checks,
    }
    say(f"written to {save_figures('duplicates', figures)}")


def _by_kind(tally: Tally) -> dict[str, dict[str, int]]:
    kinds = sorted({kind for kind, _ in tally.by_kind})
    return {
        kind: {str(band): tally.by_kind[kind, band] for band in (Band.CERTAIN, Band.PROBABLE, "none")} for kind in kinds
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000_000, help="registered people (default 1,000,000)")
    parser.add_argument("--probes", type=int, default=10_000, help="applications checked (half duplicates)")
    parser.add_argument("--romanized", type=int, default=4_000, help="romanised cases checked (half duplicates)")
    parser.add_argument("--seed", type=int, default=2024)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.probes, arguments.romanized, arguments.seed))
