"""Liveness and readiness of a worker process over plain HTTP, for Docker, Kubernetes or a load balancer.

`GET /livez`: 200 while the process's event loop answers (a stuck loop cannot answer at all).
`GET /readyz`: 200 when Temporal and PostgreSQL both answer within the timeout, 503 otherwise and
from the moment a shutdown begins. A server of the standard library's asyncio: the probes need no
framework, and a worker needs no HTTP dependency.
"""

import asyncio
import json
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg
from temporalio.client import Client

MAX_REQUEST_HEAD = 8192


@dataclass
class Health:
    """What the probes report: the worker's two dependencies, and whether it is stopping."""

    client: Client
    pool: asyncpg.Pool
    timeout: float = 2.0
    stopping: bool = field(default=False)

    async def live(self) -> tuple[int, dict[str, object]]:
        """Alive: answered by the event loop itself."""
        return 200, {"status": "alive"}

    async def ready(self) -> tuple[int, dict[str, object]]:
        """Ready: not stopping, and both Temporal and PostgreSQL reachable now."""
        temporal, postgres = await asyncio.gather(self._temporal(), self._postgres())
        checks: dict[str, object] = {"temporal": temporal, "postgres": postgres, "stopping": self.stopping}
        ready = temporal == "ok" and postgres == "ok" and not self.stopping
        return (200 if ready else 503), {"status": "ready" if ready else "not ready", **checks}

    async def _temporal(self) -> str:
        try:
            healthy = await self.client.service_client.check_health(timeout=timedelta(seconds=self.timeout))
        except Exception as error:  # any failure to answer is "not ready", reported with its cause
            return f"unreachable: {type(error).__name__}"
        return "ok" if healthy else "unhealthy"

    async def _postgres(self) -> str:
        try:
            async with asyncio.timeout(self.timeout), self.pool.acquire() as conn:
                await conn.fetchval("SELECT 1")
        except Exception as error:  # as above: the probe reports, it never raises
            return f"unreachable: {type(error).__name__}"
        return "ok"


async def serve_health(health: Health, host: str, port: int) -> asyncio.Server:
    """Serve /livez and /readyz on host:port (port 0 picks a free one); close the server to stop."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5.0)
            status, body = await _route(health, head[:MAX_REQUEST_HEAD])
            await _respond(writer, status, body)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            pass  # a probe that hung up or sent garbage gets nothing
        finally:
            writer.close()

    return await asyncio.start_server(handle, host, port, limit=MAX_REQUEST_HEAD)


async def _route(health: Health, head: bytes) -> tuple[int, dict[str, object]]:
    method, _, rest = head.decode("latin-1").partition(" ")
    path = rest.partition(" ")[0].partition("?")[0]
    if method != "GET":
        return 405, {"status": "method not allowed"}
    if path == "/livez":
        return await health.live()
    if path == "/readyz":
        return await health.ready()
    return 404, {"status": "not found", "paths": ["/livez", "/readyz"]}


_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}


async def _respond(writer: asyncio.StreamWriter, status: int, body: dict[str, object]) -> None:
    payload = json.dumps(body).encode()
    writer.write(
        f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
        + payload
    )
    await writer.drain()
