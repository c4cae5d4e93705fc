"""/v1/webhooks: subscriptions to the events of the key's scope, signed as Standard Webhooks say."""

import uuid
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from api.context import ApiContext, Caller, Context
from api.problems import ProblemError
from api.responses import problems
from db import webhooks
from events.secrets import SecretBox, new_secret
from events.urls import UnsafeUrl, resolve_target
from iin_models.api import (
    DeliveryList,
    DeliveryShown,
    FieldError,
    WebhookList,
    WebhookRequest,
    WebhookSecret,
    WebhookShown,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
WebhookId = Annotated[UUID, Path(description="The subscription's id, as its creation answered it.")]


def _box(context: ApiContext) -> SecretBox:
    if context.webhooks.box is None:
        raise ProblemError("unavailable", "webhooks need the codec keys (CODEC_KEYS) to seal their secrets")
    return context.webhooks.box


def _shown(webhook: webhooks.Webhook) -> WebhookShown:
    return WebhookShown.model_validate(webhook, from_attributes=True)


@router.post("", status_code=201, response_model=WebhookSecret, responses=problems(401, 422, 503))
async def create_webhook(request: WebhookRequest, context: Context, caller: Caller) -> WebhookSecret:
    """Subscribe `url` to the events committed from now on; the answer holds the secret, shown only here.

    The URL must resolve to public addresses only (no loopback, link-local or private ranges) unless the
    deployment allows a network (WEBHOOK_ALLOWED_NETWORKS); redirects are never followed.
    """
    box = _box(context)
    try:
        await resolve_target(request.url, context.webhooks.networks)
    except UnsafeUrl as error:
        raise ProblemError(
            "unsafe-webhook-url",
            str(error),
            errors=[FieldError(field="url", location="body", message=str(error))],
        ) from error
    webhook_id = uuid.uuid4()
    secret = new_secret()
    async with context.pool.acquire() as conn:
        await webhooks.create_webhook(
            conn,
            webhook_id=webhook_id,
            api_key_id=caller.id,
            establishment_id=caller.scope,
            url=request.url,
            event_types=[t.value for t in request.event_types] if request.event_types else None,
            secret=box.seal(webhook_id, secret),
            now=context.clock.now(),
        )
    return WebhookSecret(id=webhook_id, secret=secret)


@router.get("", response_model=WebhookList, responses=problems(401))
async def list_webhooks(context: Context, caller: Caller) -> WebhookList:
    """The subscriptions within the key's scope (an operator's: every one), with why any was disabled."""
    async with context.pool.acquire() as conn:
        found = await webhooks.list_webhooks(conn, caller.scope)
    return WebhookList(items=[_shown(webhook) for webhook in found])


@router.get("/{webhook_id}", response_model=WebhookShown, responses=problems(401, 404, 422))
async def get_webhook(webhook_id: WebhookId, context: Context, caller: Caller) -> WebhookShown:
    """One subscription and how its deliveries fare."""
    async with context.pool.acquire() as conn:
        found = await webhooks.find_webhook(conn, caller.scope, webhook_id)
    if found is None:
        raise ProblemError("not-found", f"no webhook {webhook_id}")
    return _shown(found)


@router.get("/{webhook_id}/deliveries", response_model=DeliveryList, responses=problems(401, 404, 422))
async def list_deliveries(
    webhook_id: WebhookId, context: Context, caller: Caller, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> DeliveryList:
    """The subscription's latest delivery attempts, newest first: the receiver's answer or the failure."""
    async with context.pool.acquire() as conn:
        if await webhooks.find_webhook(conn, caller.scope, webhook_id) is None:
            raise ProblemError("not-found", f"no webhook {webhook_id}")
        attempts = await webhooks.list_deliveries(conn, webhook_id, limit)
    return DeliveryList(items=[DeliveryShown.model_validate(attempt, from_attributes=True) for attempt in attempts])


@router.post("/{webhook_id}/secret", response_model=WebhookSecret, responses=problems(401, 404, 422, 503))
async def rotate_secret(webhook_id: WebhookId, context: Context, caller: Caller) -> WebhookSecret:
    """A new secret, shown only here; deliveries carry signatures by both secrets for the overlap period."""
    box = _box(context)
    secret = new_secret()
    overlap_until = context.clock.now() + context.webhooks.secret_overlap
    sealed = box.seal(webhook_id, secret)
    async with context.pool.acquire() as conn:
        if not await webhooks.rotate_secret(conn, caller.scope, webhook_id, sealed, overlap_until):
            raise ProblemError("not-found", f"no webhook {webhook_id}")
    return WebhookSecret(id=webhook_id, secret=secret)


@router.delete("/{webhook_id}", status_code=204, response_class=Response, responses=problems(401, 404, 422))
async def delete_webhook(webhook_id: WebhookId, context: Context, caller: Caller) -> Response:
    """Stop the subscription; nothing more is delivered to it."""
    async with context.pool.acquire() as conn:
        if not await webhooks.delete_webhook(conn, caller.scope, webhook_id, context.clock.now()):
            raise ProblemError("not-found", f"no webhook {webhook_id}")
    return Response(status_code=204)
