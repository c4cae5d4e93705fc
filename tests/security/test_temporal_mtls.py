"""Temporal behind mTLS: the clients' TEMPORAL_TLS_* settings against a TLS-terminating proxy before the dev server.

The production frontend requires a client certificate from the operator's CA (docker-compose.yml,
TEMPORAL_TLS_REQUIRE_CLIENT_AUTH); the dev server has no TLS, so `mtls_frontend` (tests/toolkit/tls.py)
does exactly that in front of it. Every client here is configured as the compose stack configures its
processes, by environment variables only, and connects through `connect_temporal`, as every process does.
"""

import asyncio
import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from config.settings import Settings
from iin_models.enums import ApplicationState
from service.intake import submit
from tests.factories import make_application
from tests.toolkit.tls import Certificates, TlsProxy
from tests.toolkit.waiting import eventually
from workers.connect import connect_temporal
from workers.worker import build_worker

# What the compose stack names the frontend (TEMPORAL_TLS_SERVER_NAME), and the server certificate's SAN.
SERVER_NAME = "temporal"
CONNECT_TIMEOUT = 60


@pytest.fixture
def frontend_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mtls_frontend: TlsProxy) -> pytest.MonkeyPatch:
    """No setting of the test run's own; TEMPORAL_ADDRESS is the mTLS frontend; payloads plain, as in every test."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("TEMPORAL_ADDRESS", mtls_frontend.address)
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CODEC_ALLOW_PLAINTEXT", "true")
    return monkeypatch


def settings_of(
    env: pytest.MonkeyPatch,
    *,
    trusting: Path,
    cert: Path | None = None,
    key: Path | None = None,
    server_name: str = SERVER_NAME,
) -> Settings:
    """The settings a process reads from TEMPORAL_TLS_* as set here (and nothing else)."""
    env.setenv("TEMPORAL_TLS", "true")
    env.setenv("TEMPORAL_TLS_SERVER_CA_CERT_PATH", str(trusting))
    env.setenv("TEMPORAL_TLS_SERVER_NAME", server_name)
    for name, path in (("TEMPORAL_TLS_CLIENT_CERT_PATH", cert), ("TEMPORAL_TLS_CLIENT_KEY_PATH", key)):
        if path is None:
            env.delenv(name, raising=False)
        else:
            env.setenv(name, str(path))
    return Settings(_env_file=None)


async def connect(settings: Settings) -> Client:
    return await asyncio.wait_for(connect_temporal(settings=settings), CONNECT_TIMEOUT)


async def refused_connecting(settings: Settings, proxy: TlsProxy) -> tuple[str, str]:
    """The error the client gets, and the handshake failure the proxy saw (a refusal by TLS, not a missing proxy)."""
    before = len(proxy.refused)
    with pytest.raises(RuntimeError) as raised:
        await connect(settings)

    async def seen() -> list[str]:
        return proxy.refused[before:]

    # The client may give up before the proxy has read its alert.
    return str(raised.value), " | ".join(await eventually(seen, bool))


async def test_a_worker_and_a_client_configured_by_temporal_tls_settings_run_an_application_over_mtls(
    frontend_env: pytest.MonkeyPatch, pilot_certificates: Certificates, mtls_frontend: TlsProxy, pool: asyncpg.Pool
) -> None:
    certs = pilot_certificates
    worker_client = await connect(
        settings_of(frontend_env, trusting=certs.ca, cert=certs.cert("worker"), key=certs.key("worker"))
    )
    api_client = await connect(
        settings_of(frontend_env, trusting=certs.ca, cert=certs.cert("api"), key=certs.key("api"))
    )
    queue = f"iin-test-{uuid.uuid4()}"

    async with build_worker(worker_client, pool, queue):
        submitted = await submit(api_client, pool, make_application(), queue, now=SYSTEM_CLOCK.now())
        status = await submitted.handle.result()

    assert status.state is ApplicationState.CERTIFICATE_ISSUED
    assert mtls_frontend.forwarded >= 2


async def test_a_client_without_a_client_certificate_is_refused(
    frontend_env: pytest.MonkeyPatch, pilot_certificates: Certificates, mtls_frontend: TlsProxy
) -> None:
    _, refused = await refused_connecting(settings_of(frontend_env, trusting=pilot_certificates.ca), mtls_frontend)

    assert "PEER_DID_NOT_RETURN_A_CERTIFICATE" in refused


async def test_a_client_with_a_certificate_of_another_ca_is_refused(
    frontend_env: pytest.MonkeyPatch,
    pilot_certificates: Certificates,
    foreign_certificates: Certificates,
    mtls_frontend: TlsProxy,
) -> None:
    settings = settings_of(
        frontend_env,
        trusting=pilot_certificates.ca,
        cert=foreign_certificates.cert("worker"),
        key=foreign_certificates.key("worker"),
    )

    _, refused = await refused_connecting(settings, mtls_frontend)

    assert "CERTIFICATE_VERIFY_FAILED" in refused


async def test_a_client_trusting_another_ca_refuses_the_server(
    frontend_env: pytest.MonkeyPatch,
    pilot_certificates: Certificates,
    foreign_certificates: Certificates,
    mtls_frontend: TlsProxy,
) -> None:
    settings = settings_of(
        frontend_env,
        trusting=foreign_certificates.ca,
        cert=pilot_certificates.cert("worker"),
        key=pilot_certificates.key("worker"),
    )

    error, refused = await refused_connecting(settings, mtls_frontend)

    assert "InvalidCertificate(UnknownIssuer)" in error
    assert "ALERT" in refused  # the client said why it hung up


async def test_a_client_expecting_another_server_name_refuses_the_server(
    frontend_env: pytest.MonkeyPatch, pilot_certificates: Certificates, mtls_frontend: TlsProxy
) -> None:
    settings = settings_of(
        frontend_env,
        trusting=pilot_certificates.ca,
        cert=pilot_certificates.cert("worker"),
        key=pilot_certificates.key("worker"),
        server_name="temporal.elsewhere",
    )

    error, refused = await refused_connecting(settings, mtls_frontend)

    assert "NotValidForName" in error
    assert "ALERT" in refused
