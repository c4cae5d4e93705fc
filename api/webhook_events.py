"""The webhooks the API sends (OpenAPI 3.1 `webhooks`): what a receiver gets and answers, documented only.

Nothing here is served: the delivery loop (events/delivery.py) sends these requests to each
subscription's URL, body and headers as events/signing.py makes them.
"""

from typing import Annotated

from fastapi import APIRouter, Header

from iin_models.events import WebhookMessage

router = APIRouter()


@router.post(
    "application-event",
    status_code=204,
    responses={
        "2XX": {"description": "Received (any 2xx is): this event is not sent again"},
        "default": {
            "description": "Any other answer, a redirect (not followed), or none: sent again with backoff; a"
            " subscription failing for longer than the disable period is disabled"
        },
    },
)
def application_event(
    message: WebhookMessage,
    webhook_id: Annotated[str, Header(description="The event id: the same on every attempt, to drop duplicates.")],
    webhook_timestamp: Annotated[int, Header(description="Unix seconds of this attempt; refuse old ones.")],
    webhook_signature: Annotated[
        str,
        Header(
            description="Standard Webhooks signatures (`v1,<base64>`, space separated: two while a rotated"
            " secret overlaps) of `<webhook-id>.<webhook-timestamp>.<body>` with the subscription's secret."
        ),
    ],
) -> None:
    """An application entered a state, or its deadline passed: one request per event and subscription.

    Events of one application arrive in order; retried until a 2xx answer. Verify the signature
    before trusting the body (the `standardwebhooks` libraries do, in many languages).
    """
