"""What the API runs on, handed in by whoever builds the app (the stack, `iin api`, a test), and who calls."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated

import asyncpg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from temporalio.client import Client
from temporalio.converter import PayloadCodec

from api.problems import ProblemError
from clock import SYSTEM_CLOCK, Clock
from db.api_keys import ApiKey, authenticate
from events.config import WebhookConfig


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


def get_context(request: Request) -> ApiContext:
    """The context the app was built with."""
    context: ApiContext = request.app.state.context
    return context


_bearer = HTTPBearer(auto_error=False, description="An API key created with `iin keys create`.")


async def get_key(
    context: Annotated[ApiContext, Depends(get_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    """The caller's API key: present, known and not revoked, or 401."""
    if credentials is None:
        raise ProblemError("unauthorized", "send an API key as 'Authorization: Bearer <key>'")
    async with context.pool.acquire() as conn:
        key = await authenticate(conn, credentials.credentials)
    if key is None:
        raise ProblemError("unauthorized", "the API key is unknown or revoked")
    return key


async def get_reviewer(key: Annotated[ApiKey, Depends(get_key)]) -> ApiKey:
    """The caller's key if it is a reviewer's (the register's staff), else 403: before the body is read."""
    if not key.reviewer:
        raise ProblemError("forbidden", "only reviewer keys (the register's staff) decide probable duplicates")
    return key


Context = Annotated[ApiContext, Depends(get_context)]
Caller = Annotated[ApiKey, Depends(get_key)]
Reviewer = Annotated[ApiKey, Depends(get_reviewer)]
