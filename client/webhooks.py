"""Verifying a webhook delivery as a receiver does: the Standard Webhooks signature, then the body's model."""

from collections.abc import Mapping

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from schemas.events import WebhookMessage

__all__ = ["WebhookVerificationError", "verify_webhook"]


def verify_webhook(secrets: str | list[str], body: bytes | str, headers: Mapping[str, str]) -> WebhookMessage:
    """The delivered message if its signature verifies with one of `secrets` (the `whsec_...` of the
    subscription; during a rotation, the new and the old) and its timestamp is within five minutes.

    Raises WebhookVerificationError otherwise. Keep the message's `data.event_id`: a delivery may come
    more than once, and the id is the same each time.
    """
    failure: WebhookVerificationError | None = None
    for secret in [secrets] if isinstance(secrets, str) else secrets:
        try:
            Webhook(secret).verify(body, dict(headers), json_parse=False)
        except WebhookVerificationError as error:
            failure = error
            continue
        return WebhookMessage.model_validate_json(body)
    raise failure or WebhookVerificationError("no secret given")
