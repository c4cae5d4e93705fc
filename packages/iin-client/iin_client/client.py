"""IinClient: every endpoint of the API as a typed async method."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

import httpx
from pydantic import BaseModel

from iin_client.errors import error_from
from iin_models.api import (
    ApplicationAccepted,
    ApplicationPage,
    ApplicationSummary,
    CertificateVerification,
    DeliveryList,
    EventPage,
    FeedEvent,
    Health,
    WebhookList,
    WebhookRequest,
    WebhookSecret,
)
from iin_models.application import Application
from iin_models.desk import ReviewComparison, ReviewPending, ReviewQueuePage
from iin_models.enums import ApplicationState
from iin_models.events import EventType
from iin_models.review import ReviewDecision, Withdrawal
from iin_models.status import ApplicationStatus

M = TypeVar("M", bound=BaseModel)


def _json(body: BaseModel, idempotency_key: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return {"content": body.model_dump_json(), "headers": headers}


@dataclass(frozen=True)
class Submission:
    """The answer to a submission; `created` is False when the same application was there already."""

    application: ApplicationAccepted
    created: bool


class IinClient:
    """An async client of the IIN API; use it as an async context manager, or call `aclose`."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(base_url=base_url, headers=headers, timeout=timeout, transport=transport)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self._http.request(method, path, **kwargs)
        if response.is_error:
            raise error_from(response)
        return response

    async def _model(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        return model.model_validate_json((await self._send(method, path, **kwargs)).content)

    async def submit(self, application: Application) -> Submission:
        """Submit an application; submitting the same one again is safe and returns it."""
        response = await self._send("POST", "/v1/applications", **_json(application))
        return Submission(
            ApplicationAccepted.model_validate_json(response.content), created=response.status_code == 202
        )

    async def status(self, application_id: UUID, *, wait: float = 0) -> ApplicationStatus:
        """The full status of an application; with `wait`, once its next event commits (at most `wait` s)."""
        params = {"wait": wait} if wait else {}
        return await self._model(ApplicationStatus, "GET", f"/v1/applications/{application_id}", params=params)

    async def list_applications(
        self,
        *,
        state: ApplicationState | None = None,
        establishment_id: str | None = None,
        submitted_from: datetime | None = None,
        submitted_to: datetime | None = None,
        breached: bool | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> ApplicationPage:
        """One page of applications, newest first."""
        params: dict[str, str | int] = {"limit": limit}
        for name, value in (
            ("state", state.value if state else None),
            ("establishment_id", establishment_id),
            ("submitted_from", submitted_from.isoformat() if submitted_from else None),
            ("submitted_to", submitted_to.isoformat() if submitted_to else None),
            ("breached", str(breached).lower() if breached is not None else None),
            ("cursor", cursor),
        ):
            if value is not None:
                params[name] = value
        return await self._model(ApplicationPage, "GET", "/v1/applications", params=params)

    async def iter_applications(self, **filters: Any) -> AsyncIterator[ApplicationSummary]:
        """Every application the filters select, page after page."""
        cursor: str | None = None
        while True:
            page = await self.list_applications(cursor=cursor, **filters)
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def review(
        self, application_id: UUID, decision: ReviewDecision, *, idempotency_key: str | None = None
    ) -> ApplicationStatus:
        """Send an officer's review decision; UpdateRejected if the application does not await review.

        With `idempotency_key`, sending it again (after a timeout, say) answers the first outcome.
        """
        return await self._model(
            ApplicationStatus,
            "POST",
            f"/v1/applications/{application_id}/review",
            **_json(decision, idempotency_key),
        )

    async def decide(
        self, application_id: UUID, decision: ReviewDecision, *, idempotency_key: str | None = None
    ) -> ApplicationStatus | ReviewPending:
        """A reviewer's verdict: the status once it took effect, or, with four eyes on, the approvals a
        `different_person` still waits for (202)."""
        response = await self._send(
            "POST", f"/v1/applications/{application_id}/review", **_json(decision, idempotency_key)
        )
        if response.status_code == 202:
            return ReviewPending.model_validate_json(response.content)
        return ApplicationStatus.model_validate_json(response.content)

    async def review_queue(
        self,
        *,
        establishment: str | None = None,
        breached: bool | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> ReviewQueuePage:
        """One page of the applications awaiting review, the most urgent first (reviewer and operator keys)."""
        params: dict[str, str | int] = {"limit": limit}
        if establishment is not None:
            params["establishment"] = establishment
        if breached is not None:
            params["breached"] = str(breached).lower()
        if cursor is not None:
            params["cursor"] = cursor
        return await self._model(ReviewQueuePage, "GET", "/v1/reviews", params=params)

    async def review_comparison(self, application_id: UUID) -> ReviewComparison:
        """The applicant beside each registered candidate (reviewer keys only; the read is logged)."""
        return await self._model(ReviewComparison, "GET", f"/v1/reviews/{application_id}")

    async def withdraw(
        self, application_id: UUID, withdrawal: Withdrawal, *, idempotency_key: str | None = None
    ) -> ApplicationStatus:
        """Withdraw an application; UpdateRejected if it has already ended.

        With `idempotency_key`, sending it again (after a timeout, say) answers the first outcome.
        """
        return await self._model(
            ApplicationStatus,
            "POST",
            f"/v1/applications/{application_id}/withdraw",
            **_json(withdrawal, idempotency_key),
        )

    async def follow(self, application_id: UUID, *, wait: float = 20.0) -> AsyncIterator[ApplicationStatus]:
        """Yield the status each time it changes, until the application reaches a terminal state.

        Each request is a long poll of up to `wait` seconds (below the client's timeout): the server
        answers as the next event commits, so nothing is polled in between.
        """
        seen = -1
        current = await self.status(application_id)
        while True:
            if len(current.transitions) != seen:
                seen = len(current.transitions)
                yield current
            if current.state.is_terminal:
                return
            current = await self.status(application_id, wait=wait)

    async def event_page(self, *, after: str | None = None, limit: int = 100, wait: float = 0) -> EventPage:
        """One page of the event feed after the cursor `after` (from the start without one)."""
        params: dict[str, str | int | float] = {"limit": limit, "wait": wait}
        if after is not None:
            params["after"] = after
        return await self._model(EventPage, "GET", "/v1/events", params=params)

    async def events(
        self, *, after: str | None = None, limit: int = 100, follow: bool = True, wait: float = 20.0
    ) -> AsyncIterator[FeedEvent]:
        """Every event after the cursor `after`, in commit order; each carries the cursor to resume after it.

        Keep the last event's `cursor` and pass it as `after` to resume, after a restart too. With `follow`,
        the iterator waits for new events (long polls of `wait` s) and never ends; without, it ends when
        the feed is read to its end.
        """
        while True:
            page = await self.event_page(after=after, limit=limit, wait=wait if follow else 0)
            for event in page.items:
                yield event
            after = page.next_cursor
            if not page.items and not follow:
                return

    async def create_webhook(self, url: str, event_types: list[EventType] | None = None) -> WebhookSecret:
        """Subscribe `url` to the events of the key's scope; the answer's secret is shown only this once."""
        return await self._model(
            WebhookSecret, "POST", "/v1/webhooks", **_json(WebhookRequest(url=url, event_types=event_types))
        )

    async def webhooks(self) -> WebhookList:
        """The subscriptions within the key's scope, with their failures and why any was disabled."""
        return await self._model(WebhookList, "GET", "/v1/webhooks")

    async def webhook_deliveries(self, webhook_id: UUID, *, limit: int = 100) -> DeliveryList:
        """A subscription's latest delivery attempts, newest first."""
        return await self._model(DeliveryList, "GET", f"/v1/webhooks/{webhook_id}/deliveries", params={"limit": limit})

    async def rotate_webhook_secret(self, webhook_id: UUID) -> WebhookSecret:
        """A new secret; the old one keeps signing for the deployment's overlap period."""
        return await self._model(WebhookSecret, "POST", f"/v1/webhooks/{webhook_id}/secret")

    async def delete_webhook(self, webhook_id: UUID) -> None:
        """Stop a subscription."""
        await self._send("DELETE", f"/v1/webhooks/{webhook_id}")

    async def certificate_pdf(self, number: str) -> bytes:
        """The registration certificate's PDF."""
        return (await self._send("GET", f"/v1/certificates/{number}")).content

    async def verify_certificate(self, number: str) -> CertificateVerification:
        """Whether a certificate is genuine and valid (no key needed)."""
        return await self._model(CertificateVerification, "GET", f"/v1/certificates/{number}/verification")

    async def rejection_notice_pdf(self, application_id: UUID) -> bytes:
        """The rejection notice's PDF of a rejected application."""
        return (await self._send("GET", f"/v1/applications/{application_id}/rejection-notice")).content

    async def health(self) -> Health:
        """Liveness of the API process."""
        return await self._model(Health, "GET", "/healthz")

    async def ready(self) -> Health:
        """Readiness: PostgreSQL and Temporal reachable (Unavailable if not)."""
        return await self._model(Health, "GET", "/readyz")
