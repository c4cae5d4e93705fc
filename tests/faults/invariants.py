"""The invariants every fault test ends with, over the registry, the projection and the workflows.

Every application reaches a terminal state; no application (no person) has two IINs; no IIN belongs
to two people; nothing is lost: as many closed workflows and projection rows as applications submitted.
"""

import asyncio
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import asyncpg
from temporalio.client import Client, WorkflowExecutionStatus

from iin_models.status import ApplicationStatus
from schemas.contract import workflow_id


@dataclass(frozen=True)
class Counts:
    """What the check found; a healthy run has terminal == rows == workflows == applications and zeros after."""

    applications: int
    workflows: int
    rows: int
    terminal: int
    states: dict[str, int]
    iins: int
    certificates: int
    double_iins: int
    shared_iins: int
    mismatched: int
    lost: int

    def summary(self, label: str) -> str:
        """The one line the report quotes."""
        states = ",".join(f"{state}:{count}" for state, count in sorted(self.states.items()))
        return (
            f"faults: {label}: applications={self.applications} workflows={self.workflows} rows={self.rows} "
            f"terminal={self.terminal} iins={self.iins} certificates={self.certificates} "
            f"double_iins={self.double_iins} shared_iins={self.shared_iins} mismatched={self.mismatched} "
            f"lost={self.lost} states={states}"
        )

    def assert_sound(self) -> None:
        """Fail unless every invariant holds."""
        assert (self.workflows, self.rows, self.terminal) == (self.applications,) * 3, self
        assert (self.double_iins, self.shared_iins, self.mismatched, self.lost) == (0, 0, 0, 0), self
        assert self.certificates == self.states.get("certificate_issued", 0), self


async def check_invariants(
    client: Client, pool: asyncpg.Pool, people: Sequence[Sequence[UUID]], label: str, *, concurrency: int = 50
) -> Counts:
    """Check the invariants over `people` (the applications of each person), print the summary, and return it.

    Each person's applications together may hold at most one IIN, and an IIN may belong to one person only,
    in the workflows' results, the projection, the registry and the certificates alike.
    """
    ids = [application_id for applications in people for application_id in applications]
    person_of = {application_id: n for n, applications in enumerate(people) for application_id in applications}
    gate = asyncio.Semaphore(concurrency)

    async def closed(application_id: UUID) -> ApplicationStatus | None:
        async with gate:
            handle = client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)
            if (await handle.describe()).status is not WorkflowExecutionStatus.COMPLETED:
                return None
            status: ApplicationStatus = await handle.result()
            return status

    results = dict(zip(ids, await asyncio.gather(*(closed(i) for i in ids)), strict=True))
    async with pool.acquire() as conn:
        rows = {
            r["application_id"]: r
            for r in await conn.fetch(
                "SELECT application_id, state, iin FROM applications WHERE application_id = ANY($1::uuid[])", ids
            )
        }
        registered = await conn.fetch(
            "SELECT application_id, iin FROM people WHERE application_id = ANY($1::uuid[])", ids
        )
        certified = await conn.fetch(
            "SELECT application_id, iin FROM certificates WHERE application_id = ANY($1::uuid[])", ids
        )

    statuses = [s for s in results.values() if s is not None]
    # Every IIN any store ties to an application, by person.
    iins_of_person: dict[int, set[str]] = defaultdict(set)
    people_of_iin: dict[str, set[int]] = defaultdict(set)
    sources = [
        *((s.application_id, s.iin) for s in statuses),
        *((r["application_id"], r["iin"]) for r in rows.values()),
        *((r["application_id"], r["iin"]) for r in registered),
        *((r["application_id"], r["iin"]) for r in certified),
    ]
    for application_id, iin in sources:
        if iin is not None:
            iins_of_person[person_of[application_id]].add(iin)
            people_of_iin[iin].add(person_of[application_id])
    mismatched = sum(
        1
        for s in statuses
        if s.application_id not in rows
        or (rows[s.application_id]["state"], rows[s.application_id]["iin"]) != (s.state.value, s.iin)
    )
    counts = Counts(
        applications=len(ids),
        workflows=len(statuses),
        rows=len(rows),
        terminal=sum(1 for s in statuses if s.state.is_terminal),
        states=dict(Counter(s.state.value for s in statuses)),
        iins=len({r["iin"] for r in registered}),
        certificates=len(certified),
        double_iins=sum(1 for iins in iins_of_person.values() if len(iins) > 1)
        + sum(1 for n in Counter(r["application_id"] for r in registered).values() if n > 1),
        shared_iins=sum(1 for persons in people_of_iin.values() if len(persons) > 1),
        mismatched=mismatched,
        lost=sum(1 for i in ids if i not in rows or results[i] is None),
    )
    print(counts.summary(label))
    return counts
