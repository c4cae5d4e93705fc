"""The national register with every call timed: which operation, whether it answered, how long it took."""

from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import timedelta
from time import perf_counter
from typing import TypeVar
from uuid import UUID

from temporalio.common import MetricHistogramTimedelta, MetricMeter

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
from register.port import NationalRegister

REGISTER_CALLS = "iin_register_call_duration"
T = TypeVar("T")


@dataclass
class MeteredRegister:
    """A NationalRegister that records each call on `meter`, by operation and outcome (ok or error).

    An error is any exception the adapter raised (timeouts, refusals, a 5xx of the remote register);
    the activity's retry policy decides what happens next, so the error itself is passed on unchanged.
    """

    inner: NationalRegister
    meter: MetricMeter
    _calls: MetricHistogramTimedelta = field(init=False)

    def __post_init__(self) -> None:
        self._calls = self.meter.create_histogram_timedelta(
            REGISTER_CALLS, "Calls to the national register, by operation and outcome"
        )

    async def _timed(self, operation: str, call: Awaitable[T]) -> T:
        started = perf_counter()
        outcome = "error"
        try:
            result = await call
            outcome = "ok"
            return result
        finally:
            elapsed = timedelta(seconds=perf_counter() - started)
            self._calls.record(elapsed, {"operation": operation, "outcome": outcome})

    async def document_holders(self, number: str) -> list[DocumentHolder]:
        """Everyone holding a document with this number, timed."""
        return await self._timed("document_holders", self.inner.document_holders(number))

    async def name_key_holders(self, query: NameKeyQuery) -> list[NameKeyHolder]:
        """Everyone born on one of the dates with one of the name keys, timed."""
        return await self._timed("name_key_holders", self.inner.name_key_holders(query))

    async def similar_name_holders(self, query: SimilarNameQuery) -> list[SimilarNameHolder]:
        """Everyone born on one of the dates whose name is similar, timed."""
        return await self._timed("similar_name_holders", self.inner.similar_name_holders(query))

    async def person(self, iin: str) -> RegisteredPerson | None:
        """The person registered under `iin`, timed."""
        return await self._timed("person", self.inner.person(iin))

    async def form(self, registrant: Registrant) -> Formation:
        """Form an IIN for the registrant (idempotent by application id), timed."""
        return await self._timed("form", self.inner.form(registrant))

    async def formed_for(self, application_id: UUID) -> str | None:
        """The IIN formed for this application, if any, timed."""
        return await self._timed("formed_for", self.inner.formed_for(application_id))

    async def aclose(self) -> None:
        """Close the adapter underneath."""
        await self.inner.aclose()
