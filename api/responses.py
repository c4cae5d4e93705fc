"""The error answers each route documents in the OpenAPI document (all problem+json, see api.app)."""

from typing import Any

from api.models import Problem

Responses = dict[int | str, dict[str, Any]]


def problems(*statuses: int, ok: Responses | None = None) -> Responses:
    """OpenAPI `responses` for these error statuses, each a Problem; 500 is always possible."""
    descriptions = {
        401: "No API key, or an unknown or revoked one",
        403: "The key may not act for this establishment",
        404: "No such resource within the key's scope",
        409: "Conflict: another body under the same id, or an update the application refuses",
        422: "A field is not valid (its path is in `errors`), or intake refused the application",
        500: "Internal error; no details leave the server",
        503: "Temporal or PostgreSQL unavailable",
    }
    errors: Responses = {status: {"model": Problem, "description": descriptions[status]} for status in {*statuses, 500}}
    return (ok or {}) | errors
