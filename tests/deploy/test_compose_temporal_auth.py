"""Temporal's authentication in docker-compose.yml: mTLS for every client of the frontend, the Web UI behind a sign-in.

Checked without Docker, on the file and on Compose's own resolution of it (tests/deploy/compose.py);
that the clients' TEMPORAL_TLS_* settings work against a frontend requiring mTLS is
tests/security/test_temporal_mtls.py.
"""

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from commands.certs import CA, CLIENTS, SERVER, SERVER_NAMES, SERVER_UID, cert_file, key_file
from config.settings import REPO_ROOT
from tests.deploy.compose import ENV_EXAMPLE, raw, resolved, run_compose, service_processes

SECRETS = Path("/run/secrets")
# Where every client of Temporal finds its own certificate inside its container.
CERT_TARGET = str(SECRETS / "temporal-cert.pem")
# The Temporal CLI and the service's settings read temporalio.envconfig's names; the Web UI its own.
ENVCONFIG_PATHS = ("TEMPORAL_TLS_SERVER_CA_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_KEY_PATH")
UI_PATHS = ("TEMPORAL_TLS_CA", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY")
SIGN_IN = (
    "TEMPORAL_UI_OIDC_ISSUER_URL",
    "TEMPORAL_UI_OIDC_CLIENT_ID",
    "TEMPORAL_UI_OIDC_CLIENT_SECRET",
    "TEMPORAL_UI_OIDC_ALLOWED_GROUP",
    "TEMPORAL_UI_COOKIE_SECRET",
)
SERVICE_IMAGE_UID = 10001  # Dockerfile: USER 10001:10001
ON_DEMAND = ("tools", "pilot-ca")


def _stack() -> dict[str, Any]:
    """Every service, the on-demand ones too, as Compose resolves them with .env.example."""
    return resolved(*ON_DEMAND)


def _mounted(service: dict[str, Any]) -> dict[str, str]:
    """Path in the container -> the secret mounted there."""
    return {str(SECRETS / secret["target"]): secret["source"] for secret in service.get("secrets", [])}


def _uid(service: dict[str, Any]) -> int:
    user = service.get("user")
    if user is None:
        (dockerfile_user,) = re.findall(r"^USER\s+(\d+)", (REPO_ROOT / "Dockerfile").read_text(), re.MULTILINE)
        return int(dockerfile_user)
    return int(str(user).split(":")[0])


def test_the_frontend_requires_a_client_certificate_from_the_ca() -> None:
    temporal = _stack()["services"][SERVER]
    env, mounted = temporal["environment"], _mounted(temporal)

    assert env["TEMPORAL_TLS_REQUIRE_CLIENT_AUTH"] == "true"
    assert {mounted[env[name]] for name in ("TEMPORAL_TLS_CLIENT1_CA_CERT", "TEMPORAL_TLS_CLIENT2_CA_CERT")} == {
        "temporal-ca"
    }
    assert (mounted[env["TEMPORAL_TLS_FRONTEND_CERT"]], mounted[env["TEMPORAL_TLS_FRONTEND_KEY"]]) == (
        "temporal-cert",
        "temporal-key",
    )


def test_temporals_own_services_speak_mtls_to_each_other() -> None:
    temporal = _stack()["services"][SERVER]
    env, mounted = temporal["environment"], _mounted(temporal)

    assert [mounted[env[name]] for name in ("TEMPORAL_TLS_SERVER_CERT", "TEMPORAL_TLS_SERVER_KEY")] == [
        "temporal-cert",
        "temporal-key",
    ]
    assert mounted[env["TEMPORAL_TLS_SERVER_CA_CERT"]] == "temporal-ca"
    assert env["TEMPORAL_TLS_INTERNODE_SERVER_NAME"] in SERVER_NAMES
    assert env["TEMPORAL_TLS_FRONTEND_SERVER_NAME"] in SERVER_NAMES


def test_every_client_of_temporal_presents_a_certificate_of_its_own() -> None:
    services = _stack()["services"]
    # Migrations reach PostgreSQL only: they get the shared settings, and no certificate.
    connecting = {name for name, service in services.items() if "TEMPORAL_ADDRESS" in service.get("environment", {})}

    assert connecting - {"migrate"} == set(CLIENTS)
    assert "secrets" not in services["migrate"]
    for name in CLIENTS:
        env, mounted = services[name]["environment"], _mounted(services[name])
        paths = UI_PATHS if name == "temporal-ui" else ENVCONFIG_PATHS
        assert [mounted.get(env[variable]) for variable in paths] == ["temporal-ca", f"{name}-cert", f"{name}-key"], (
            name
        )


def test_every_client_verifies_the_frontend_by_the_name_on_its_certificate() -> None:
    services = _stack()["services"]

    for name in CLIENTS:
        env = services[name]["environment"]
        assert env["TEMPORAL_TLS_SERVER_NAME"] in SERVER_NAMES, name
        assert env.get("TEMPORAL_TLS", "true") == "true", name
    assert services["temporal-ui"]["environment"]["TEMPORAL_TLS_ENABLE_HOST_VERIFICATION"] == "true"


def test_the_service_processes_connect_with_the_mounted_certificates_whatever_env_says(tmp_path: Path) -> None:
    # An operator's TEMPORAL_TLS_* in .env is for processes outside the stack; inside, mTLS is fixed.
    settings = tmp_path / "off.env"
    settings.write_text(
        ENV_EXAMPLE.read_text(encoding="utf-8") + "TEMPORAL_TLS=false\nTEMPORAL_TLS_CLIENT_CERT_PATH=/elsewhere\n",
        encoding="utf-8",
    )

    result = run_compose("config", "--format", "json", env_file=settings)

    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    for name in service_processes():
        env = services[name]["environment"]
        assert (env["TEMPORAL_TLS"], env["TEMPORAL_TLS_CLIENT_CERT_PATH"]) == ("true", CERT_TARGET), name


def test_the_certificates_are_the_files_iin_certs_pilot_writes_into_TEMPORAL_TLS_DIR() -> None:
    secrets = _stack()["secrets"]
    directory = REPO_ROOT / "certs"  # .env.example: TEMPORAL_TLS_DIR=./certs

    expected = {"temporal-ca": directory / cert_file(CA)}
    for name in [SERVER, *CLIENTS]:
        expected[f"{name}-cert"] = directory / cert_file(name)
        expected[f"{name}-key"] = directory / key_file(name)
    assert {name: Path(secret["file"]) for name, secret in secrets.items()} == expected


def test_each_private_key_is_readable_by_the_user_its_container_runs_as() -> None:
    # Compose mounts secrets as they are on the host: `iin certs pilot --chown` gives each key to this user.
    services = _stack()["services"]

    assert _uid(services[SERVER]) == SERVER_UID
    for name, uid in CLIENTS.items():
        assert _uid(services[name]) == uid, name
    assert {uid for name, uid in CLIENTS.items() if name in service_processes()} == {SERVICE_IMAGE_UID}


def test_the_pilot_job_writes_the_certificates_where_the_secrets_are_read() -> None:
    job = _stack()["services"]["temporal-pilot-certs"]
    (volume,) = job["volumes"]

    assert job["profiles"] == ["pilot-ca"]
    assert Path(volume["source"]) == REPO_ROOT / "certs"
    assert job["command"] == ["certs", "pilot", "--out", volume["target"], "--chown"]
    assert job["user"] == "0:0"  # to give each key to its reader


def test_temporal_and_the_web_ui_are_published_on_this_host_only_unless_told() -> None:
    for name, service in raw()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("${PUBLISH_ADDRESS:-127.0.0.1}:"), (name, port)
    published = {
        name: [port["host_ip"] for port in service.get("ports", [])] for name, service in _stack()["services"].items()
    }
    assert published[SERVER] == ["127.0.0.1"]
    assert published["temporal-ui-login"] == ["127.0.0.1"]


def test_the_web_ui_is_reached_only_through_its_sign_in() -> None:
    services = _stack()["services"]
    login = services["temporal-ui-login"]["environment"]

    assert "ports" not in services["temporal-ui"]
    assert services["temporal-ui-login"]["ports"][0]["published"] == "8233"
    assert login["OAUTH2_PROXY_UPSTREAMS"] == "http://temporal-ui:8080/"
    assert services["temporal-ui"]["environment"]["TEMPORAL_UI_PORT"] == "8080"
    assert login["OAUTH2_PROXY_PROVIDER"] == "oidc"
    assert login["OAUTH2_PROXY_COOKIE_SECURE"] == "true"
    assert login["OAUTH2_PROXY_REDIRECT_URL"] == "http://localhost:8233/oauth2/callback"


@pytest.mark.parametrize("setting", SIGN_IN)
def test_docker_compose_refuses_to_start_without_the_web_ui_sign_in(setting: str, tmp_path: Path) -> None:
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert re.search(rf"^{setting}=\S", example, re.MULTILINE), setting
    without = tmp_path / "without.env"
    without.write_text(re.sub(rf"^{setting}=.*$", f"{setting}=", example, flags=re.MULTILINE), encoding="utf-8")

    result = run_compose("config", "--quiet", env_file=without)

    assert result.returncode != 0
    assert setting in result.stderr


def test_certificates_and_keys_stay_out_of_git_and_of_the_image() -> None:
    ignored = subprocess.run(["git", "check-ignore", "--quiet", "certs/worker-key.pem"], cwd=REPO_ROOT, check=False)

    assert ignored.returncode == 0, "certs/ is not in .gitignore"
    assert "certs" in (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
