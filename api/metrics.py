"""The API's Prometheus metrics: requests by route template and status, and their latency.

Served by `iin api` on API_METRICS_PORT, a port of its own that the compose stack publishes nowhere
(Prometheus scrapes it inside the stack's network), so the API's public port answers no /metrics. The
route label is the template (`/v1/applications/{application_id}`), never the path itself: an
application id or a certificate number never becomes a label, and a scanner's 404s share one label.
"""

import threading
from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Histogram, start_http_server
from starlette.types import Scope

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


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (api/request_log.py calls it for every HTTP request)."""
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


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
