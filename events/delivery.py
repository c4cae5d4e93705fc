"""The delivery loop: every subscription served by a task of its own, in feed order, at least once.

Each pass numbers the committed events (db/events.py), finds the subscriptions that have events
after their cursor and are not backing off, and starts a task for each that is not served yet. A
task leases its subscription in PostgreSQL (so any number of workers can run this loop), posts the
events one by one in feed order (hence in order per application), moves the cursor after each 2xx,
and on any other outcome records the failure and backs off exponentially with jitter; a
subscription failing for longer than `disable_after` is disabled with the reason. No connection is
held while a receiver answers, and each receiver waits on its own task, so a slow or dead receiver
delays only its own deliveries, never another's or an application's steps.
"""

import asyncio
import contextlib
import functools
import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta
from time import perf_counter
from uuid import UUID

import asyncpg
import httpx

from clock import SYSTEM_CLOCK, Clock
from config.settings import Settings
from db import webhooks
from db.events import StoredEvent, events_after, sequence_pending
from events.listener import EventListener
from events.metrics import DeliveryMetrics
from events.secrets import SecretBox, reseal_secrets
from events.signing import body_of, signed_headers
from events.urls import Network, Target, UnsafeUrl, parse_networks, resolve_target
from iin_models.events import Event

log = logging.getLogger(__name__)
BATCH = 50  # events read per round trip while a subscription catches up
ERROR_CHARS = 300  # how much of a failure is kept for the operator
EVENT_NONE = UUID(int=0)  # the delivery log's event id for a failure that concerns no one event
UNAVAILABLE = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How deliveries are timed: the settings WEBHOOK_* (tests shorten them)."""

    timeout: float = 10.0
    backoff_initial: float = 5.0
    backoff_max: float = 600.0
    disable_after: timedelta = timedelta(hours=72)
    networks: tuple[Network, ...] = ()
    tick: float = 1.0  # how often the loop looks without having heard of an event
    # The shortest time between two passes: commits arriving meanwhile are taken in one pass, instead
    # of a pass (two transactions) per commit when many arrive at once.
    coalesce: float = 0.05
    lease: timedelta = timedelta(seconds=60)  # a killed loop's subscriptions wait this long for another

    @classmethod
    def from_settings(cls, settings: Settings) -> "DeliveryPolicy":
        """The policy the settings give."""
        return cls(
            timeout=settings.webhook_timeout_seconds,
            backoff_initial=settings.webhook_backoff_initial_seconds,
            backoff_max=settings.webhook_backoff_max_seconds,
            disable_after=timedelta(hours=settings.webhook_disable_after_hours),
            networks=parse_networks(settings.webhook_allowed_networks),
            # Longer than any one request may take, so a live loop never loses its lease mid-delivery.
            lease=timedelta(seconds=3 * settings.webhook_timeout_seconds + 5),
        )

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Seconds to wait after the `failures`-th failure in a row: doubling, capped, half of it random."""
        ceiling: float = min(self.backoff_max, self.backoff_initial * 2.0 ** min(failures - 1, 32))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to."""

    delivered: bool
    status_code: int | None
    error: str | None
    duration_ms: float


def event_of(stored: StoredEvent) -> Event:
    """The event as delivered."""
    return Event.model_validate(
        {
            "event_id": stored.event_id,
            "type": stored.type,
            "application_id": stored.application_id,
            "establishment_id": stored.establishment_id,
            "state": stored.state,
            "reasons": stored.reasons,
            "breached": stored.breached,
            "at": stored.at,
        }
    )


@dataclass
class DeliveryLoop:
    """Delivers the feed to every subscription, on `pool`, until cancelled."""

    pool: asyncpg.Pool
    box: SecretBox
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    clock: Clock = SYSTEM_CLOCK
    rng: random.Random = field(default_factory=random.Random)
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4()}")
    metrics: DeliveryMetrics = field(default_factory=DeliveryMetrics)
    _serving: dict[UUID, asyncio.Task[None]] = field(default_factory=dict)

    async def run(self) -> None:
        """Deliver until cancelled, riding out PostgreSQL outages (the cursors and leases are in it)."""
        async with httpx.AsyncClient(follow_redirects=False, timeout=self.policy.timeout) as http:
            try:
                while True:
                    try:
                        await self._deliver(http)
                    except UNAVAILABLE as error:
                        log.warning("event delivery: PostgreSQL unavailable (%s); trying again", error)
                        await asyncio.sleep(self.policy.tick)
            finally:
                for task in self._serving.values():
                    task.cancel()
                await asyncio.gather(*self._serving.values(), return_exceptions=True)

    async def _deliver(self, http: httpx.AsyncClient) -> None:
        resealed = await reseal_secrets(self.pool, self.box)
        if resealed:
            log.info("event delivery: %d webhook secrets sealed again under codec key %s", resealed, self.box.primary)
        async with EventListener(self.pool).watching(None) as heard:
            while True:
                heard.clear()
                await self._pass(http)
                await asyncio.sleep(self.policy.coalesce)
                # Woken by the next commit; the tick looks again where a backoff may have ended.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(heard.wait(), self.policy.tick)

    async def _pass(self, http: httpx.AsyncClient) -> None:
        try:
            while await sequence_pending(self.pool):
                pass
            async with self.pool.acquire() as conn:
                due = await webhooks.due_webhooks(conn, self.clock.now())
        except UNAVAILABLE as error:
            # PostgreSQL away: the next pass tries again; nothing was lost, the cursors are in the database.
            log.warning("event delivery: PostgreSQL unavailable (%s)", error)
            return
        for webhook_id in due:
            if webhook_id not in self._serving:
                task = asyncio.create_task(self._serve(http, webhook_id))
                self._serving[webhook_id] = task
                task.add_done_callback(functools.partial(self._finished, webhook_id))

    def _finished(self, webhook_id: UUID, task: asyncio.Task[None]) -> None:
        self._serving.pop(webhook_id, None)
        if not task.cancelled() and task.exception() is not None:
            # The lease runs out and a later pass (here or in another worker) takes the subscription again.
            log.warning("event delivery to %s stopped: %r", webhook_id, task.exception())

    async def _serve(self, http: httpx.AsyncClient, webhook_id: UUID) -> None:
        now = self.clock.now()
        async with self.pool.acquire() as conn:
            held = await webhooks.lease(conn, webhook_id, self.owner, now, now + self.policy.lease)
        if held is None:
            return
        try:
            secrets = tuple(self.box.open(held.id, sealed) for sealed in held.secrets)
        except KeyError as missing:
            await self._disable(held, f"its secret is sealed with codec key {missing}, which is not in the ring")
            return
        position, failing_since = held.delivered_position, held.failing_since
        while True:
            async with self.pool.acquire() as conn:
                batch = await events_after(conn, held.establishment_id, position, BATCH, held.event_types)
                if not batch:
                    await webhooks.release(conn, held.id, self.owner)
                    return
            try:
                # Checked again for every batch, and the requests go to the address checked.
                target: Target | UnsafeUrl = await resolve_target(held.url, self.policy.networks)
            except UnsafeUrl as unsafe:
                target = unsafe
            for stored in batch:
                outcome = await self._post(http, target, secrets, event_of(stored))
                now = self.clock.now()
                self.metrics.attempted(outcome.delivered, outcome.duration_ms)
                attempt = webhooks.Delivery(
                    event_id=stored.event_id,
                    attempted_at=now,
                    delivered=outcome.delivered,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=outcome.duration_ms,
                )
                async with self.pool.acquire() as conn:
                    if not outcome.delivered:
                        since = failing_since or now
                        disabled = (
                            f"disabled after failing since {since.isoformat()}: {outcome.error}"
                            if now - since >= self.policy.disable_after
                            else None
                        )
                        retry_at = now + timedelta(seconds=self.policy.backoff(held.attempts + 1, self.rng))
                        await webhooks.record_failed(conn, held.id, self.owner, attempt, retry_at, disabled)
                        return
                    lease_until = now + self.policy.lease
                    if not await webhooks.record_delivered(
                        conn, held.id, self.owner, stored.position, attempt, lease_until
                    ):
                        return  # the lease went to another loop meanwhile: it delivers from our cursor on
                self.metrics.delivered_after(now - stored.at)
                position, failing_since = stored.position, None
                held = replace(held, attempts=0)

    async def _disable(self, held: webhooks.Subscription, reason: str) -> None:
        now = self.clock.now()
        attempt = webhooks.Delivery(
            event_id=EVENT_NONE, attempted_at=now, delivered=False, status_code=None, error=reason, duration_ms=0.0
        )
        async with self.pool.acquire() as conn:
            await webhooks.record_failed(conn, held.id, self.owner, attempt, now, f"disabled: {reason}")

    async def _post(
        self, http: httpx.AsyncClient, target: Target | UnsafeUrl, secrets: tuple[str, ...], event: Event
    ) -> Outcome:
        started = perf_counter()
        if isinstance(target, UnsafeUrl):
            return Outcome(False, None, str(target), 0.0)
        try:
            now = self.clock.now()
            body = body_of(event, now)
            headers = signed_headers(secrets, event, now, body) | {"host": _host_header(target.url)}
            request_url = httpx.URL(target.url).copy_with(host=str(target.address))
            extensions = {"sni_hostname": target.host} if request_url.scheme == "https" else {}
            answer = await http.post(request_url, content=body.encode(), headers=headers, extensions=extensions)
        except httpx.HTTPError as error:
            return Outcome(False, None, f"{type(error).__name__}: {error}"[:ERROR_CHARS] or "no answer", _ms(started))
        if answer.is_success:
            return Outcome(True, answer.status_code, None, _ms(started))
        reason = "redirects are not followed" if answer.is_redirect else answer.reason_phrase
        return Outcome(False, answer.status_code, f"HTTP {answer.status_code} {reason}"[:ERROR_CHARS], _ms(started))


def _host_header(url: str) -> str:
    return httpx.URL(url).netloc.decode("ascii")


def _ms(started: float) -> float:
    return (perf_counter() - started) * 1000
