"""The error answers each route documents in the OpenAPI document (all problem+json, see api.app)."""

from typing import Any

from iin_models.api import Problem

Responses = dict[int | str, dict[str, Any]]


RETRY_AFTER = {
    "Retry-After": {
        "description": "Whole seconds to wait before the request is let through again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


def problems(*statuses: int, ok: Responses | None = None) -> Responses:
    """OpenAPI `responses` for these error statuses, each a Problem; 500 is always possible, and 429 on
    every route that takes a key (the key's limit, and the address's failed authentications)."""
    descriptions = {
        401: "No API key, or an unknown or revoked one",
        403: "The key may not act for this establishment",
        404: "No such resource within the key's scope",
        409: "Conflict: another body under the same id, or an update the application refuses",
        422: "A field is not valid (its path is in `errors`), or intake refused the application",
        429: "Too many requests: the key's limit, the address's limit of certificate checks, or of failed"
        " authentications; `Retry-After` says when to try again",
        500: "Internal error; no details leave the server",
        503: "Temporal or PostgreSQL unavailable",
    }
    every = {*statuses, 500} | ({429} if 401 in statuses else set())
    errors: Responses = {status: {"model": Problem, "description": descriptions[status]} for status in every}
    if 429 in errors:
        errors[429]["headers"] = RETRY_AFTER
    return (ok or {}) | errors
