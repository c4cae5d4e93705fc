"""Typed errors from the API's problem details: one class per problem type, the details kept."""

import httpx
from pydantic import ValidationError

from iin_models.api import PROBLEM_BASE, Problem


class ApiError(Exception):
    """An error answer of the API; `problem` holds its RFC 9457 details."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.title}" + (f": {problem.detail}" if problem.detail else ""))
        self.problem = problem

    @property
    def status(self) -> int:
        return self.problem.status


class ValidationFailed(ApiError):
    """The request is not valid; `problem.errors` names each field."""


class IntakeRejected(ApiError):
    """Intake refused the application (unknown establishment, outside the service period, ...); see `problem.code`."""


class Unauthorized(ApiError):
    """No API key, or an unknown or revoked one."""


class Forbidden(ApiError):
    """The key may not act for that establishment."""


class NotFound(ApiError):
    """No such resource within the key's scope."""


class ApplicationConflict(ApiError):
    """Another body was submitted under the same application id."""


class UpdateRejected(ApiError):
    """The application refused a review or withdrawal; `problem.detail` gives the reason."""


class IdempotencyKeyReused(ApiError):
    """The Idempotency-Key was sent before with another request."""


class RateLimited(ApiError):
    """Too many requests (the key's limit, or the address's); `retry_after` is the seconds to wait, if said."""

    def __init__(self, problem: Problem, retry_after: int | None = None) -> None:
        super().__init__(problem)
        self.retry_after = retry_after


class Unavailable(ApiError):
    """Temporal or PostgreSQL is not reachable; try again later."""


class ServerError(ApiError):
    """An internal error of the server, or an answer that is not problem+json."""


_BY_TYPE: dict[str, type[ApiError]] = {
    "validation": ValidationFailed,
    "unauthorized": Unauthorized,
    "forbidden": Forbidden,
    "not-found": NotFound,
    "application-conflict": ApplicationConflict,
    "update-rejected": UpdateRejected,
    "idempotency-key-reused": IdempotencyKeyReused,
    "unavailable": Unavailable,
    "internal": ServerError,
}


def error_from(response: httpx.Response) -> ApiError:
    """The typed error for an error response."""
    try:
        problem = Problem.model_validate_json(response.content)
    except ValidationError:
        problem = Problem(type="about:blank", title=response.reason_phrase or "error", status=response.status_code)
        return ServerError(problem)
    slug = problem.type.removeprefix(PROBLEM_BASE)
    if slug == "rate-limited":
        wait = response.headers.get("retry-after", "")
        return RateLimited(problem, int(wait) if wait.isdigit() else None)
    if slug in _BY_TYPE:
        return _BY_TYPE[slug](problem)
    if problem.status == 422 and problem.code is not None:
        return IntakeRejected(problem)
    return ServerError(problem) if problem.status >= 500 else ApiError(problem)
