"""A delivery's body and its Standard Webhooks headers, signed with the `standardwebhooks` package."""

from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from iin_models.events import Event, WebhookMessage


def body_of(event: Event, now: datetime) -> str:
    """The JSON body of the delivery of `event` at `now`."""
    return WebhookMessage(type=event.type, timestamp=now, data=event).model_dump_json()


def signed_headers(secrets: tuple[str, ...], event: Event, now: datetime, body: str) -> dict[str, str]:
    """webhook-id (the event id, for de-duplication), webhook-timestamp and webhook-signature.

    During a secret's overlap period the signature header carries one signature per secret, as the
    specification allows, so a receiver holding either secret verifies the delivery.
    """
    now = now.astimezone(UTC)  # the library reads the instant as UTC whatever its zone
    message_id = str(event.event_id)
    signatures = " ".join(Webhook(secret).sign(message_id, now, body) for secret in secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
    }
