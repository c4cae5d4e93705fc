"""The national register over HTTP: the contract of docs/register-openapi.json, spoken with httpx.

Every call is safe to repeat (lookups read; a formation is idempotent by application id), so the
adapter does not retry by itself: a failed call fails the activity, and Temporal retries it on the
register's schedule (workflows/application.py, REGISTER_RETRY), visible in the Web UI as it happens.
"""

import ssl
from pathlib import Path
from uuid import UUID

import httpx
from pydantic import TypeAdapter

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

Body = Registrant | NameKeyQuery | SimilarNameQuery
_DOCUMENT_HOLDERS = TypeAdapter(list[DocumentHolder])
_NAME_KEY_HOLDERS = TypeAdapter(list[NameKeyHolder])
_SIMILAR_NAME_HOLDERS = TypeAdapter(list[SimilarNameHolder])
# The literal parts of the register's paths. The others name a document or a person
# (/v1/documents/{number}/holders, /v1/people/{iin}), and a failure's message, which the SDK logs and
# the activity's span records, must not: it names the route with those parts left out.
_ROUTE_WORDS = frozenset({"", "v1", "documents", "holders", "name-keys", "similar-names", "formations", "people"})


class RegisterUnavailable(Exception):
    """The register did not answer, or answered with an error: the call is to be tried again later."""


def tls_context(ca_file: Path | None, client_cert: Path | None, client_key: Path | None) -> ssl.SSLContext:
    """Verify the register against `ca_file` (or the system's CAs); present a client certificate for mTLS."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if client_cert is not None:
        context.load_cert_chain(str(client_cert), str(client_key) if client_key else None)
    return context


class RemoteRegister:
    """The national register at `base_url`; `token` is sent as a bearer credential."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        verify: ssl.SSLContext | bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, verify=verify, transport=transport
        )

    async def document_holders(self, number: str) -> list[DocumentHolder]:
        """Everyone holding a document with this number, under any issuing state."""
        return _DOCUMENT_HOLDERS.validate_json(await self._call("GET", f"/v1/documents/{number}/holders"))

    async def name_key_holders(self, query: NameKeyQuery) -> list[NameKeyHolder]:
        """Everyone born on one of the dates with one of the name keys."""
        return _NAME_KEY_HOLDERS.validate_json(await self._call("POST", "/v1/name-keys/holders", query))

    async def similar_name_holders(self, query: SimilarNameQuery) -> list[SimilarNameHolder]:
        """Everyone born on one of the dates whose name is similar to one of the spellings."""
        return _SIMILAR_NAME_HOLDERS.validate_json(await self._call("POST", "/v1/similar-names/holders", query))

    async def form(self, registrant: Registrant) -> Formation:
        """Form an IIN for the registrant, or learn whom they certainly are; idempotent by application id."""
        return Formation.model_validate_json(await self._call("POST", "/v1/formations", registrant))

    async def formed_for(self, application_id: UUID) -> str | None:
        """The IIN formed for this application, if any."""
        response = await self._send("GET", f"/v1/formations/{application_id}")
        if response.status_code == 404:
            return None
        return Formation.model_validate_json(_content(response)).iin

    async def person(self, iin: str) -> RegisteredPerson | None:
        """The person registered under `iin`, with their documents, or None."""
        response = await self._send("GET", f"/v1/people/{iin}")
        if response.status_code == 404:
            return None
        return RegisteredPerson.model_validate_json(_content(response))

    async def aclose(self) -> None:
        """Close the connections to the register."""
        await self._http.aclose()

    async def _call(
        self, method: str, path: str, body: Registrant | NameKeyQuery | SimilarNameQuery | None = None
    ) -> bytes:
        return _content(await self._send(method, path, body))

    async def _send(self, method: str, path: str, body: Body | None = None) -> httpx.Response:
        content = body.model_dump_json().encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        try:
            return await self._http.request(method, path, content=content, headers=headers)
        except httpx.HTTPError as error:
            raise RegisterUnavailable(f"{method} {_route(path)}: {type(error).__name__}") from error


def _route(path: str) -> str:
    return "/".join(part if part in _ROUTE_WORDS else "{}" for part in path.split("/"))


def _content(response: httpx.Response) -> bytes:
    # The status only: an error body may echo what was asked, names or numbers.
    if response.is_error:
        request = response.request
        raise RegisterUnavailable(
            f"{request.method} {_route(request.url.path)}: {response.status_code} {response.reason_phrase}"
        )
    return response.content
