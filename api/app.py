"""The FastAPI application: routes, problem+json errors, and an OpenAPI document that says so."""

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from api import applications, desk, events, health, issued, page, problems, reviews, webhook_events, webhooks
from api.codec import create_codec_app
from api.context import ApiContext
from api.limits import BodyGuard
from api.query import known_query_parameters
from api.ratelimit import Limiter
from api.request_log import RequestLog
from events.listener import EventListener
from observability.tracing import instrument_api

DESCRIPTION = """\
Start and follow applications for an IIN filed at Kazakhstan's foreign establishments.

Authenticate with an API key (`Authorization: Bearer <key>`, created with `iin keys create`). A key is
bound to one establishment, which sees and acts on its own applications only, or to the operator role,
which sees all. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `type`
per error; validation errors carry the path of each field at fault.
"""


def create_app(context: ApiContext) -> FastAPI:
    """The API over `context`'s Temporal client, PostgreSQL pool and task queue."""
    app = FastAPI(
        title="IIN for foreigners: API for backend services",
        version="1.0.0",
        description=DESCRIPTION,
        dependencies=[Depends(known_query_parameters)],
        generate_unique_id_function=lambda route: (
            route.name
        ),  # operationIds a generated client names methods by  # api/query.py: unknown query parameters are refused
    )
    app.state.context = context
    app.state.listener = EventListener(context.pool)  # long polls: woken by NOTIFY as events commit
    # api/ratelimit.py: per key, per address on the public check, failed authentications; None: no limits.
    app.state.limiter = Limiter(context.rate_limits) if context.rate_limits is not None else None
    problems.install(app)
    app.add_middleware(BodyGuard)  # api/limits.py: bodies bounded in size (413), JSON only in UTF-8
    app.add_middleware(RequestLog)  # added last, so outside BodyGuard: its refusals are logged and counted too
    instrument_api(app, context.tracer_provider)
    for module in (applications, reviews, events, webhooks, health, issued, page, desk):
        app.include_router(module.router)
    app.webhooks.include_router(webhook_events.router)  # documented only: what the delivery loop sends
    if context.codec is not None:
        app.mount("/codec", create_codec_app(context, context.codec, context.ui_origins))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                webhooks=app.webhooks.routes,
            )
            _errors_as_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _errors_as_problems(schema: dict[str, Any]) -> None:
    """Every error answer is served as application/problem+json: document it under that media type."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status[0] in "45" and "application/json" in content:
                    content[problems.MEDIA_TYPE] = content.pop("application/json")
