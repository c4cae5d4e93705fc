"""A webhook receiver on localhost: a real HTTP server that keeps every request, and can be taken down.

`answer` sets what it replies (200 by default; 503, a redirect...); `stop` closes the socket, so
deliveries meet a refused connection, as with a receiver that is down, and `start` brings it back on
the same port.
"""

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import uvicorn

from api.server import EmbeddedServer, bound_port
from clock import SYSTEM_CLOCK

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: datetime  # when it arrived, by the system clock (bench/events.py measures latency with it)


@dataclass
class Receiver:
    """The server, what it received, and what it answers."""

    port: int = 0
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: a slow receiver
    received: list[Received] = field(default_factory=list)
    _server: EmbeddedServer | None = None
    _serving: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """Where to send webhooks."""
        return f"http://127.0.0.1:{self.port}/hook"

    def answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        """Reply `status` (with `headers`) from now on."""
        self.status, self.headers = status, headers or {}

    async def start(self) -> None:
        """Listen (on the port it had before, once it had one)."""
        config = uvicorn.Config(
            self._app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", interface="asgi3"
        )
        self._server = EmbeddedServer(config)
        self._serving = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._serving.done():
                await self._serving
            await asyncio.sleep(0.02)
        self.port = bound_port(self._server)

    async def stop(self) -> None:
        """Close the socket: connections are refused until `start`."""
        if self._server is not None and self._serving is not None:
            self._server.should_exit = True
            await self._serving
            self._server = self._serving = None

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        if self.delay:
            await asyncio.sleep(self.delay)
        if 200 <= self.status < 300:
            self.received.append(Received(scope["path"], headers, body, SYSTEM_CLOCK.now()))
        reply = [(name.encode(), value.encode()) for name, value in self.headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": reply})
        await send({"type": "http.response.body", "body": b""})
