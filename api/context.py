"""What the API runs on, handed in by whoever builds the app (the stack, `iin api`, a test), and who calls."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated

import asyncpg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from opentelemetry.sdk.trace import TracerProvider
from temporalio.client import Client
from temporalio.converter import PayloadCodec

from api.problems import ProblemError
from api.ratelimit import RateLimits, limiter_of
from clock import SYSTEM_CLOCK, Clock
from db.api_keys import ApiKey, authenticate
from events.config import WebhookConfig
from register.port import RegisterRecords


@dataclass(frozen=True)
class ApiContext:
    """The Temporal client, the PostgreSQL pool, the workers' task queue and the public address."""

    client: Client
    pool: asyncpg.Pool
    task_queue: str
    public_base_url: str
    codec: PayloadCodec | None = None  # serves /codec when the service seals its payloads
    ui_origins: tuple[str, ...] = ()  # Web UI origins allowed to call /codec from a browser
    clock: Clock = SYSTEM_CLOCK  # when a submission is received
    webhooks: WebhookConfig = field(default_factory=WebhookConfig)  # secrets' box, networks allowed, rotation overlap
    session_lifetime: timedelta = timedelta(hours=1)  # of a browser's sign-in (codec, desk): SESSION_MINUTES
    register: RegisterRecords | None = None  # the desk reads candidates there; None: the embedded one (pool)
    review_four_eyes: bool = False  # REVIEW_FOUR_EYES: different_person needs two different reviewer keys
    rate_limits: RateLimits | None = None  # None: no limits (what tests and benchmarks build unless they say)
    tracer_provider: TracerProvider | None = None  # observability/tracing.py: None, no server spans


def get_context(request: Request) -> ApiContext:
    """The context the app was built with."""
    context: ApiContext = request.app.state.context
    return context


_bearer = HTTPBearer(auto_error=False, description="An API key created with `iin keys create`.")


async def get_key(
    request: Request,
    context: Annotated[ApiContext, Depends(get_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    """The caller's API key: present, known and not revoked, or 401; within its rate limits, or 429.

    An address past its limit of failed authentications gets 429 before its key is looked up, so
    guessing keys from it stops there, whether the next guess would be right or not.
    """
    if credentials is None:
        raise ProblemError("unauthorized", "send an API key as 'Authorization: Bearer <key>'")
    limiter = limiter_of(request)
    if limiter is None:
        return await _authenticated(context, credentials.credentials)
    address = limiter.client(request)
    await limiter.refuse_failing(address)
    try:
        key = await _authenticated(context, credentials.credentials)
    except ProblemError:
        await limiter.failed(address)
        raise
    await limiter.key(key.id)
    return key


async def _authenticated(context: ApiContext, token: str) -> ApiKey:
    async with context.pool.acquire() as conn:
        key = await authenticate(conn, token)
    if key is None:
        raise ProblemError("unauthorized", "the API key is unknown or revoked")
    return key


async def get_reviewer(key: Annotated[ApiKey, Depends(get_key)]) -> ApiKey:
    """The caller's key if it is a reviewer's (the register's staff), else 403: before the body is read."""
    if not key.reviewer:
        raise ProblemError("forbidden", "only reviewer keys (the register's staff) decide probable duplicates")
    return key


async def get_queue_reader(key: Annotated[ApiKey, Depends(get_key)]) -> ApiKey:
    """The caller's key if it may list the review queue (a reviewer's or an operator's), else 403."""
    if not (key.reviewer or key.operator):
        raise ProblemError("forbidden", "only reviewer and operator keys see the review queue")
    return key


async def get_comparison_reader(key: Annotated[ApiKey, Depends(get_key)]) -> ApiKey:
    """The caller's key if it may read a comparison (personal data): a reviewer's only, else 403."""
    if not key.reviewer:
        raise ProblemError("forbidden", "only reviewer keys (the register's staff) see the people compared")
    return key


Context = Annotated[ApiContext, Depends(get_context)]
Caller = Annotated[ApiKey, Depends(get_key)]
Reviewer = Annotated[ApiKey, Depends(get_reviewer)]
QueueReader = Annotated[ApiKey, Depends(get_queue_reader)]
ComparisonReader = Annotated[ApiKey, Depends(get_comparison_reader)]
