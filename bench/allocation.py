"""IIN allocation under concurrency: allocations per second and collisions, through the real step.

    .venv/bin/python -m bench.allocation --count 4000 --allocators 20

Runs the `form_iin` activity (decide-once transaction, identity locks, duplicate re-check, serial
allocation, registration) for `count` new people with `allocators` running at once, twice: every
person born on one day (the worst case: one serial counter row) and birth dates spread over 50
years. Prints allocations per second and checks that every IIN is distinct and valid.
"""

import argparse
import asyncio
import time
from datetime import date

from temporalio.testing import ActivityEnvironment

from activities.iin import IinActivities
from bench.duplicates import bench_database
from clock import SYSTEM_CLOCK
from config.settings import REPO_ROOT
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data, open_local_window
from register.embedded import EmbeddedRegister
from rules.iin import is_valid_iin
from schemas.contract import ApplicationInput
from service.intake import resolve
from tests.factories import make_applicant, make_application


async def _run(label: str, inputs: list[ApplicationInput], activities: IinActivities, allocators: int) -> None:
    gate = asyncio.Semaphore(allocators)
    iins: list[str | None] = []

    async def one(data: ApplicationInput) -> None:
        async with gate:
            iins.append((await ActivityEnvironment().run(activities.form_iin, data)).iin)

    started = time.perf_counter()
    await asyncio.gather(*(one(data) for data in inputs))
    elapsed = time.perf_counter() - started
    formed = [iin for iin in iins if iin is not None]
    collisions = len(formed) - len(set(formed))
    invalid = sum(not is_valid_iin(iin) for iin in formed)
    print(
        f"{label}: {len(formed)} IINs in {elapsed:.1f} s = {len(formed) / elapsed:.0f}/s"
        f" with {allocators} allocators; collisions {collisions}; invalid {invalid};"
        f" refused {len(iins) - len(formed)}",
        flush=True,
    )


async def main(count: int, allocators: int) -> None:
    async with bench_database() as dsn:
        pool = await create_pool(dsn, min_size=allocators, max_size=allocators + 2)
        await migrate(pool)
        await load_reference_data(pool, REPO_ROOT / "data")
        await open_local_window(pool)
        now = SYSTEM_CLOCK.now()
        one_day = [make_application(applicant=make_applicant(birth_date=date(1988, 8, 8))) for _ in range(count)]
        spread = [make_application() for _ in range(count)]
        activities = IinActivities(pool, EmbeddedRegister(pool))
        for label, applications in (("one birth date", one_day), ("spread birth dates", spread)):
            inputs = [await resolve(pool, application, now=now) for application in applications]
            await _run(label, inputs, activities, allocators)
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=4000, help="people per run (at most 9,900 on one birth date)")
    parser.add_argument("--allocators", type=int, default=20, help="allocations at once")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.count, arguments.allocators))
