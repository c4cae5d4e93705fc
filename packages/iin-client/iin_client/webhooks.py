"""Verifying a webhook delivery as a receiver does: the Standard Webhooks signature, then the body's model.

The signature check is the Standard Webhooks reference library's, an optional extra
(`pip install 'iin-client[webhooks]'`): a backend that only calls the API needs none of it.
"""

from collections.abc import Mapping

from iin_models.events import WebhookMessage

__all__ = ["WebhookVerificationError", "verify_webhook"]

_EXTRA_MISSING = "verify_webhook needs the Standard Webhooks library: pip install 'iin-client[webhooks]'"


class WebhookVerificationError(Exception):
    """A delivery whose signature or timestamp does not verify with any of the secrets given."""


def verify_webhook(secrets: str | list[str], body: bytes | str, headers: Mapping[str, str]) -> WebhookMessage:
    """The delivered message if its signature verifies with one of `secrets` (the `whsec_...` of the
    subscription; during a rotation, the new and the old) and its timestamp is within five minutes.

    Raises WebhookVerificationError otherwise, and ModuleNotFoundError naming the `webhooks` extra when
    it is not installed. Keep the message's `data.event_id`: a delivery may come more than once, and the
    id is the same each time.
    """
    try:
        from standardwebhooks.webhooks import Webhook
        from standardwebhooks.webhooks import WebhookVerificationError as SignatureRefused
    except ModuleNotFoundError as missing:
        raise ModuleNotFoundError(_EXTRA_MISSING, name=missing.name) from missing
    refusal: SignatureRefused | None = None
    for secret in [secrets] if isinstance(secrets, str) else secrets:
        try:
            Webhook(secret).verify(body, dict(headers), json_parse=False)
        except SignatureRefused as error:
            refusal = error
            continue
        return WebhookMessage.model_validate_json(body)
    raise WebhookVerificationError(str(refusal) if refusal else "no secret given") from refusal
