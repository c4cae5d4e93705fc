"""mTLS in front of the dev server: pilot certificates, and a TLS-terminating gRPC proxy as Temporal's frontend.

The dev server speaks plain gRPC only. `TlsProxy` listens on localhost with TLS as the production
frontend does (TEMPORAL_TLS_REQUIRE_CLIENT_AUTH): ALPN `h2`, the pilot server certificate, a client
certificate required and verified against the pilot CA. It forwards the decrypted bytes unchanged to
the dev server's plain port, as nginx's `grpc_pass` would, and keeps the reason of every handshake it
refused, so a test can tell a refusal by TLS from a proxy that is not there.

The certificates come from `iin certs pilot` itself (commands/certs.py), made on the machine's real
time: OpenSSL and the SDK's TLS check validity against it, whatever instant the session travels to.
"""

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from commands.certs import CA, SERVER, cert_file, key_file, write_pilot
from tests import timetravel

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Certificates:
    """A directory written by `iin certs pilot`: the CA, the server's and each client's certificate and key."""

    directory: Path

    @property
    def ca(self) -> Path:
        """The CA's certificate."""
        return self.directory / cert_file(CA)

    def cert(self, name: str) -> Path:
        """The certificate of `name` (`temporal`, `worker`, ...)."""
        return self.directory / cert_file(name)

    def key(self, name: str) -> Path:
        """The private key of `name`."""
        return self.directory / key_file(name)


def make_certificates(directory: Path) -> Certificates:
    """A new pilot CA and its certificates in `directory`, valid from the machine's real time."""
    write_pilot(directory, now=timetravel.real_now())
    return Certificates(directory)


@dataclass
class TlsProxy:
    """A TLS-terminating proxy on 127.0.0.1 forwarding to a plain gRPC server."""

    upstream: str
    certificates: Certificates
    refused: list[str] = field(default_factory=list)
    forwarded: int = 0
    _server: asyncio.Server | None = None
    _connections: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def address(self) -> str:
        """host:port the proxy listens on."""
        assert self._server is not None, "the proxy is not started"
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"{host}:{port}"

    def context(self) -> ssl.SSLContext:
        """What the frontend requires: TLS 1.2 or later, h2, a client certificate from the CA."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.certificates.cert(SERVER), self.certificates.key(SERVER))
        context.load_verify_locations(self.certificates.ca)
        context.verify_mode = ssl.CERT_REQUIRED
        context.set_alpn_protocols(["h2"])
        return context

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        context = self.context()

        async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._connections.add(task)
            try:
                await self._serve(reader, writer, context)
            finally:
                self._connections.discard(task)

        self._server = await asyncio.start_server(accepted, "127.0.0.1", 0)

    async def close(self) -> None:
        """Stop listening and drop every open connection."""
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, context: ssl.SSLContext) -> None:
        # TLS over memory buffers: no byte the client sends before the handshake starts can be missed.
        tls = _Tls(context, reader, writer)
        try:
            await asyncio.wait_for(tls.handshake(), timeout=10)
        except (ssl.SSLError, ConnectionError, TimeoutError) as error:
            self.refused.append(f"{type(error).__name__}: {error}")
            await tls.close()
            return
        if tls.alpn != "h2":
            self.refused.append(f"ALPN {tls.alpn!r}, not h2")
            await tls.close()
            return
        self.forwarded += 1
        host, port = self.upstream.rsplit(":", 1)
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        try:
            await asyncio.gather(tls.copy_to(upstream_writer), tls.copy_from(upstream_reader))
        finally:
            upstream_writer.close()
            await tls.close()


class _Tls:
    """The server side of one TLS connection, driven by hand over a client's plain stream."""

    def __init__(self, context: ssl.SSLContext, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self._reader = reader
        self._writer = writer

    @property
    def alpn(self) -> str | None:
        """The protocol negotiated by ALPN."""
        return self._tls.selected_alpn_protocol()

    async def handshake(self) -> None:
        """Complete the handshake; an SSLError when the client (or its certificate) is refused."""
        while True:
            try:
                self._tls.do_handshake()
            except ssl.SSLWantReadError:
                await self._flush()
                await self._receive()
                continue
            except ssl.SSLError:
                await self._flush()  # the alert tells the client why
                raise
            await self._flush()
            return

    async def copy_to(self, upstream: asyncio.StreamWriter) -> None:
        """Decrypt what the client sends and pass it upstream, until the client is done."""
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            while True:
                try:
                    data = self._tls.read(CHUNK)
                except ssl.SSLWantReadError:
                    await self._flush()
                    await self._receive()
                    continue
                if not data:
                    return
                upstream.write(data)
                await upstream.drain()
        upstream.close()

    async def copy_from(self, upstream: asyncio.StreamReader) -> None:
        """Encrypt what upstream answers and send it to the client, until upstream is done."""
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            while data := await upstream.read(CHUNK):
                self._tls.write(data)
                await self._flush()
        self._writer.close()

    async def close(self) -> None:
        """Close the client's connection."""
        self._writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await self._writer.wait_closed()

    async def _receive(self) -> None:
        data = await self._reader.read(CHUNK)
        if not data:
            self._incoming.write_eof()
            raise ConnectionResetError("the client closed the connection")
        self._incoming.write(data)

    async def _flush(self) -> None:
        pending = self._outgoing.read()
        if pending:
            self._writer.write(pending)
            await self._writer.drain()


@contextlib.asynccontextmanager
async def tls_proxy(upstream: str, certificates: Certificates) -> AsyncIterator[TlsProxy]:
    """A started `TlsProxy` in front of `upstream`, closed at the end."""
    proxy = TlsProxy(upstream, certificates)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()


@pytest.fixture(scope="session")
def pilot_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """The pilot CA and the certificates it signs, as `iin certs pilot` writes them."""
    return make_certificates(tmp_path_factory.mktemp("pilot-ca"))


@pytest.fixture(scope="session")
def foreign_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """Another CA's certificates, with the same names: trusted by nobody here."""
    return make_certificates(tmp_path_factory.mktemp("foreign-ca"))


@pytest_asyncio.fixture(scope="session")
async def mtls_frontend(dev_env: WorkflowEnvironment, pilot_certificates: Certificates) -> AsyncIterator[TlsProxy]:
    """The dev server behind mTLS with the pilot certificates, as the production frontend is."""
    async with tls_proxy(dev_env.client.service_client.config.target_host, pilot_certificates) as proxy:
        yield proxy
