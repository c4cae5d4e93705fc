"""A typed async client of the IIN API for backend services: pydantic models in, pydantic models out.

    async with IinClient("http://127.0.0.1:8000", api_key) as iin:
        accepted = await iin.submit(application)
        status = await iin.status(accepted.application.application_id)

Errors arrive as typed exceptions (iin_client.errors) carrying the server's problem details.
"""

from iin_client.client import IinClient, Submission
from iin_client.errors import (
    ApiError,
    ApplicationConflict,
    Forbidden,
    IdempotencyKeyReused,
    IntakeRejected,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unavailable,
    UpdateRejected,
    ValidationFailed,
)
from iin_client.webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "ApiError",
    "ApplicationConflict",
    "Forbidden",
    "IdempotencyKeyReused",
    "IinClient",
    "IntakeRejected",
    "NotFound",
    "RateLimited",
    "ServerError",
    "Submission",
    "Unauthorized",
    "Unavailable",
    "UpdateRejected",
    "ValidationFailed",
    "WebhookVerificationError",
    "verify_webhook",
]
