"""RFC 9457 problem details: one stable `type` URI per kind of error, field paths, no stack traces."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from temporalio.service import RPCError, RPCStatusCode

from iin_models.api import PROBLEM_BASE, FieldError, Location, Problem
from service.errors import IntakeError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)
LOCATIONS: dict[str, Location] = {"body": "body", "query": "query", "path": "path", "header": "header"}

# type slug -> (status, title); intake errors add one slug per IntakeError code (see intake_problem).
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "validation": (422, "The request is not valid"),
    "unauthorized": (401, "A valid API key is required"),
    "forbidden": (403, "The API key may not do this"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "application-conflict": (409, "Another application was submitted under this id"),
    "update-rejected": (409, "The application does not accept this now"),
    "idempotency-key-reused": (409, "This Idempotency-Key was sent with another request"),
    "unsafe-webhook-url": (422, "Webhooks may not be sent to this URL"),
    "rate-limited": (429, "Too many requests"),
    "unavailable": (503, "A service this depends on is unavailable"),
    "internal": (500, "Internal error"),
}


class ProblemError(Exception):
    """An error answered as a problem of a known type."""

    def __init__(
        self,
        slug: str,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or slug)
        self.slug = slug
        self.detail = detail
        self.errors = errors or []
        self.code = code
        self.headers = headers or {}


def problem_type(slug: str) -> str:
    """The stable URI of a problem type."""
    return PROBLEM_BASE + slug


def problem_response(
    request: Request,
    slug: str,
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response for `request`."""
    body = Problem(
        type=problem_type(slug),
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        errors=errors or [],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status, media_type=MEDIA_TYPE, headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """The methods the app answers on the request's path, for the `Allow` of a 405 (RFC 9110, 15.5.6).

    Each method is asked of the router as a request would be: FastAPI makes a route per method, and
    Starlette's own 405 names only the first route whose path matches (GET hiding POST).
    """
    scope = request.scope
    return [
        method
        for method in _METHODS
        if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in request.app.router.routes)
    ]


def _field_error(location: tuple[int | str, ...], message: str) -> FieldError:
    # FastAPI's locations start with where the value came from: ("body", "applicant", "birth_date").
    where = str(location[0]) if location else "body"
    if where not in LOCATIONS:
        return FieldError(field=".".join(str(part) for part in location), message=message)
    return FieldError(field=".".join(str(part) for part in location[1:]), location=LOCATIONS[where], message=message)


def install(app: FastAPI) -> None:
    """Answer every error of `app` as problem+json."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> JSONResponse:
        status, title = PROBLEM_TYPES[error.slug]
        headers = ({"WWW-Authenticate": "Bearer"} if status == 401 else {}) | error.headers
        return problem_response(
            request, error.slug, status, title, error.detail, errors=error.errors, code=error.code, headers=headers
        )

    @app.exception_handler(IntakeError)
    async def _intake(request: Request, error: IntakeError) -> JSONResponse:
        return problem_response(
            request,
            error.code.replace("_", "-"),
            422,
            "The application cannot be accepted",
            error.message,
            errors=[FieldError(field=error.field, message=error.message)],
            code=error.code,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [_field_error(tuple(e.get("loc", ())), str(e.get("msg", "is not valid"))) for e in error.errors()]
        status, title = PROBLEM_TYPES["validation"]
        return problem_response(
            request, "validation", status, title, f"{len(errors)} field(s) not valid", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:  # a body that cannot be decoded at all: a validation error of the whole body
            status, title = PROBLEM_TYPES["validation"]
            errors = [FieldError(field="", message=str(error.detail))]
            return problem_response(request, "validation", status, title, str(error.detail), errors=errors)
        slug = {401: "unauthorized", 404: "not-found", 405: "method-not-allowed"}.get(error.status_code)
        if slug is None:
            return problem_response(request, f"http-{error.status_code}", error.status_code, str(error.detail))
        status, title = PROBLEM_TYPES[slug]
        headers = {"Allow": ", ".join(allowed_methods(request))} if status == 405 else None
        return problem_response(request, slug, status, title, headers=headers)

    @app.exception_handler(RPCError)
    async def _temporal(request: Request, error: RPCError) -> JSONResponse:
        if error.status not in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
            return await _internal(request, error)
        status, title = PROBLEM_TYPES["unavailable"]
        return problem_response(request, "unavailable", status, title, "Temporal is not reachable; try again")

    @app.exception_handler(OSError)
    async def _unreachable(request: Request, error: OSError) -> JSONResponse:
        log.warning("dependency unreachable on %s %s: %s", request.method, request.url.path, error)
        status, title = PROBLEM_TYPES["unavailable"]
        return problem_response(request, "unavailable", status, title, "a dependency is not reachable; try again")

    @app.exception_handler(Exception)
    async def _internal(request: Request, error: Exception) -> JSONResponse:
        # The trace goes to the server's log only; the caller gets the problem type and nothing else.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        status, title = PROBLEM_TYPES["internal"]
        return problem_response(request, "internal", status, title)
