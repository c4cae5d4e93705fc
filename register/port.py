"""What the service asks of the national register: three lookups, a formation, and reading one back."""

from typing import Protocol
from uuid import UUID

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


class RegisterLookups(Protocol):
    """The lookups the duplicate search is made of (register/matching.py)."""

    async def document_holders(self, number: str) -> list[DocumentHolder]:
        """Everyone holding a document with this number, under any issuing state."""
        ...

    async def name_key_holders(self, query: NameKeyQuery) -> list[NameKeyHolder]:
        """Everyone born on one of the dates with one of the name keys."""
        ...

    async def similar_name_holders(self, query: SimilarNameQuery) -> list[SimilarNameHolder]:
        """Everyone born on one of the dates whose name is similar to one of the spellings."""
        ...


class RegisterRecords(Protocol):
    """Reading one registered person whole: what the review desk shows beside an applicant."""

    async def person(self, iin: str) -> RegisteredPerson | None:
        """The person registered under `iin` with their documents, or None."""
        ...


class NationalRegister(RegisterLookups, RegisterRecords, Protocol):
    """The register every IIN lives in, whichever channel formed it. Every call is safe to repeat."""

    async def form(self, registrant: Registrant) -> Formation:
        """Form an IIN for the registrant, or name the registered people they certainly are.

        Idempotent by application id: a second call for the same application returns the IIN the first
        formed, so a reply lost after the register committed never leads to a second IIN.
        """
        ...

    async def formed_for(self, application_id: UUID) -> str | None:
        """The IIN formed for this application, if any."""
        ...

    async def aclose(self) -> None:
        """Release what the adapter holds (connections); the register itself is unaffected."""
        ...
