"""A national register to develop and test against: the HTTP contract served on a store of its own.

It answers as docs/register-openapi.json says, from the embedded register in a database of its own, and
misbehaves on demand, as a real one does: added latency, a share of 5xx answers before any work, a
share of replies lost after the formation committed, and outage windows. The switches are set at
start (`iin register-simulator --help`) and changed at run time through `PUT /_faults`, which is how
the fault tests take the register down and bring it back.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import Depends, FastAPI, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clock import SYSTEM_CLOCK, Clock
from iin_models.national_register import (
    DocumentHolder,
    Formation,
    NameKeyHolder,
    NameKeyQuery,
    RegisteredPerson,
    Registrant,
    SimilarNameHolder,
    SimilarNameQuery,
)
from register.embedded import EmbeddedRegister

API_TITLE = "National register of IINs (the contract the service expects)"


class Outage(BaseModel):
    """A window in which the register answers every request with 503."""

    model_config = ConfigDict(frozen=True)

    starts_at: AwareDatetime
    ends_at: AwareDatetime


class Faults(BaseModel):
    """How the simulator misbehaves; all off by default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=60_000, description="Added to every answer.")
    error_rate: float = Field(default=0, ge=0, le=1, description="Share of requests answered 503 before any work.")
    lost_reply_rate: float = Field(
        default=0, ge=0, le=1, description="Share of formations whose reply is lost (502) after the commit."
    )
    down: bool = Field(default=False, description="Answer everything with 503 until switched back.")
    outages: tuple[Outage, ...] = ()


class Counters(BaseModel):
    """What the simulator did, for the tests and benchmarks that drive it."""

    requests: int = 0
    errors: int = 0
    lost_replies: int = 0


class Simulator:
    """The mutable state behind the app: the switches, a seeded random source, the counters."""

    def __init__(self, pool: asyncpg.Pool, faults: Faults, clock: Clock, seed: int | None) -> None:
        self.register = EmbeddedRegister(pool)
        self.faults = faults
        self.counters = Counters()
        self._clock = clock
        self._random = random.Random(seed)

    def unavailable(self, now: datetime) -> bool:
        """Whether this request fails before any work: down, in an outage, or drawn as a 5xx."""
        faults = self.faults
        if faults.down or any(o.starts_at <= now < o.ends_at for o in faults.outages):
            return True
        return self._random.random() < faults.error_rate

    def reply_lost(self) -> bool:
        """Whether the reply of a committed formation is lost on the way back."""
        return self._random.random() < self.faults.lost_reply_rate

    def now(self) -> datetime:
        """The simulator's time, for its outage windows."""
        return self._clock.now()


def create_app(
    pool: asyncpg.Pool,
    faults: Faults | None = None,
    *,
    token: str | None = None,
    clock: Clock = SYSTEM_CLOCK,
    seed: int | None = None,
) -> FastAPI:
    """The simulator's HTTP app over `pool` (a database of its own, migrated like the service's)."""
    simulator = Simulator(pool, faults or Faults(), clock, seed)

    app = FastAPI(title=API_TITLE, version="1")
    app.state.simulator = simulator

    async def authorized(authorization: Annotated[str | None, Header()] = None) -> None:
        if token is not None and authorization != f"Bearer {token}":
            raise HTTPException(status_code=401, detail="a valid bearer token is required")

    @app.middleware("http")
    async def misbehave(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.url.path.startswith("/_") or request.url.path == "/healthz":
            return await call_next(request)
        simulator.counters.requests += 1
        if simulator.faults.latency_ms:
            await asyncio.sleep(simulator.faults.latency_ms / 1000)
        if simulator.unavailable(simulator.now()):
            simulator.counters.errors += 1
            return JSONResponse({"detail": "the register is unavailable"}, status_code=503)
        return await call_next(request)

    guarded: list[Any] = [Depends(authorized)]

    @app.get("/v1/documents/{number}/holders", dependencies=guarded)
    async def document_holders(number: str) -> list[DocumentHolder]:
        """Everyone holding a document with this number, under any issuing state."""
        return await simulator.register.document_holders(number)

    @app.post("/v1/name-keys/holders", dependencies=guarded)
    async def name_key_holders(query: NameKeyQuery) -> list[NameKeyHolder]:
        """Everyone born on one of the dates with one of the name keys."""
        return await simulator.register.name_key_holders(query)

    @app.post("/v1/similar-names/holders", dependencies=guarded)
    async def similar_name_holders(query: SimilarNameQuery) -> list[SimilarNameHolder]:
        """Everyone born on one of the dates whose name reaches the threshold with one of the spellings."""
        return await simulator.register.similar_name_holders(query)

    @app.post("/v1/formations", dependencies=guarded, responses={502: {"description": "Reply lost after commit"}})
    async def form(registrant: Registrant, response: Response) -> Formation:
        """Form an IIN for the registrant, or name the people they certainly are; idempotent by application id."""
        formation = await simulator.register.form(registrant)
        if simulator.reply_lost():
            simulator.counters.lost_replies += 1
            raise HTTPException(status_code=502, detail="the reply was lost on the way back")
        return formation

    @app.get("/v1/formations/{application_id}", dependencies=guarded, responses={404: {"description": "None formed"}})
    async def formed_for(application_id: UUID) -> Formation:
        """What was formed for this application: its IIN; 404 if nothing was."""
        iin = await simulator.register.formed_for(application_id)
        if iin is None:
            raise HTTPException(status_code=404, detail="no IIN was formed for this application")
        return Formation(application_id=application_id, iin=iin)

    @app.get("/v1/people/{iin}", dependencies=guarded, responses={404: {"description": "No one registered"}})
    async def person(iin: str) -> RegisteredPerson:
        """The person registered under the IIN, with every document held: what a reviewer compares."""
        found = await simulator.register.person(iin)
        if found is None:
            raise HTTPException(status_code=404, detail="no one is registered under this IIN")
        return found

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/_faults", include_in_schema=False)
    async def read_faults() -> Faults:
        return simulator.faults

    @app.put("/_faults", include_in_schema=False)
    async def set_faults(faults: Faults) -> Faults:
        simulator.faults = faults
        return faults

    @app.get("/_counters", include_in_schema=False)
    async def counters() -> Counters:
        return simulator.counters

    return app
