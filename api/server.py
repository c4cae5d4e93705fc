"""Serving the API with uvicorn inside an asyncio program (the stack, `iin api`, tests)."""

import asyncio
import contextlib
from collections.abc import Iterator

import uvicorn

from api.app import create_app
from api.context import ApiContext


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves the signals to the program embedding it.

    That program (the stack) stops the worker, the API and the servers in order on Ctrl-C; uvicorn's
    own handlers would take the signal and raise it again after shutting down.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build_server(context: ApiContext, port: int, host: str = "127.0.0.1") -> EmbeddedServer:
    """A server for the API; `port=0` picks a free port (see `bound_port`).

    uvicorn's proxy headers are off: by default it would take X-Forwarded-For (and FORWARDED_ALLOW_IPS
    from the environment) from any peer on loopback as the client's address, which anyone on the host
    could then choose. The rate limits read the header themselves, from RATE_LIMIT_TRUSTED_PROXIES only.
    """
    config = uvicorn.Config(
        create_app(context), host=host, port=port, log_level="warning", lifespan="off", proxy_headers=False
    )
    return EmbeddedServer(config)


def bound_port(server: uvicorn.Server) -> int:
    """The port a started server listens on."""
    port: int = server.servers[0].sockets[0].getsockname()[1]
    return port


async def start_server(server: uvicorn.Server) -> asyncio.Task[None]:
    """Start serving in a task and return once the server accepts connections."""
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            await serving  # startup failed (e.g. the port is taken): raise its error
            raise RuntimeError("the API server stopped while starting")
        await asyncio.sleep(0.02)
    return serving


async def stop_server(server: uvicorn.Server, serving: asyncio.Task[None]) -> None:
    """Shut a started server down gracefully."""
    server.should_exit = True
    await serving
