"""One log line per API request: method, route, status and duration, with the application it concerned;
and the same request counted and timed in the API's metrics (api/metrics.py), with one timer for both.

The route is the template (`/v1/applications/{application_id}`), never the path as sent: a path that
matched no route could hold anything a client typed, and a matched one adds nothing the id field does
not say. Probes are counted but not logged: the orchestrator polls them every few seconds.
"""

import logging
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import record_request, route_of
from observability.logs import note_application, request_note

log = logging.getLogger("api.requests")
UNLOGGED_PATHS = frozenset({"/healthz", "/readyz"})


class RequestLog:
    """ASGI middleware: count, time and log each HTTP request once answered, with the ids its handlers noted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside a note its routes fill in, then count it and log it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        logged = scope["path"] not in UNLOGGED_PATHS
        status = 500  # what the server answers if the app fails before it starts its answer
        started = perf_counter()
        with request_note() as note:

            async def sending(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    # Routed by now, and the server span still open: it ends with the answer's last byte.
                    in_path = scope.get("path_params", {}).get("application_id")
                    if note.application_id is None and in_path is not None:
                        note_application(in_path)
                await send(message)

            try:
                await self.app(scope, receive, sending)
            finally:
                method, route, seconds = scope["method"], route_of(scope), perf_counter() - started
                record_request(method, route, status, seconds)  # long polls too, for their whole wait
                if logged:
                    log.info("%s %s %d %.1f ms", method, route, status, seconds * 1000)
