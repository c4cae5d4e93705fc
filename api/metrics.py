"""The API's Prometheus metrics: requests by route template and status, and their latency.

Served by `iin api` on API_METRICS_PORT, a port of its own that the compose stack publishes nowhere
(Prometheus scrapes it inside the stack's network), so the API's public port answers no /metrics. The
route label is the template (`/v1/applications/{application_id}`), never the path itself: an
application id or a certificate number never becomes a label, and a scanner's 404s share one label.
"""

import threading
from time import perf_counter
from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Histogram, start_http_server
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "unmatched"
REQUESTS = Counter(
    "iin_api_requests", "HTTP requests answered, by method, route template and status", ["method", "route", "status"]
)
LATENCY = Histogram(
    "iin_api_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


class RequestMetrics:
    """ASGI middleware counting and timing each HTTP request (long polls included, for their whole wait)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500  # what the server answers if the app fails before it starts its answer

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            method, route = scope["method"], route_of(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(perf_counter() - started)


def route_of(scope: Scope) -> str:
    """The template of the route that served the request (routing leaves it in the scope), or `unmatched`."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED
    return f"{scope.get('root_path', '')}{path}"


def serve_metrics(host: str, port: int) -> tuple[WSGIServer, threading.Thread]:
    """Serve /metrics of this process on host:port in a thread; `server.shutdown()` stops it."""
    return start_http_server(port, addr=host)
