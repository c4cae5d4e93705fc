"""docker-compose.yml, checked without a Docker engine: schema, Compose's own loader, and our rules."""

import itertools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from temporalio.service import TLSConfig

from api.ratelimit import RateLimits
from config.settings import REPO_ROOT, Settings
from tests.deploy.compose import COMPOSE_FILE, ENV_EXAMPLE, on_demand, raw, resolved, run_compose, service_processes

SCHEMA = Path(__file__).with_name("compose-spec.json")
OPERATIONS = REPO_ROOT / "docs" / "operations.md"
# Settings only the local stack (`iin up`) reads, or that the image itself sets (REFERENCE_DATA_DIR).
NOT_FOR_CONTAINERS = {"DATA_DIR", "REFERENCE_DATA_DIR", "TEMPORAL_PORT", "TEMPORAL_UI_PORT"}
ONE_SHOT = {"temporal-schema", "temporal-namespace", "migrate"}


def _validator() -> jsonschema_rs.Draft7Validator:
    return jsonschema_rs.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _setting_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_compose_file_validates_against_the_compose_specification() -> None:
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in _validator().iter_errors(raw())]

    assert errors == []


def test_the_schema_rejects_a_misspelt_service_key() -> None:
    broken = json.loads(json.dumps(raw()))
    broken["services"]["worker"]["helthcheck"] = broken["services"]["worker"].pop("healthcheck")

    assert not _validator().is_valid(broken)


def test_docker_compose_loads_the_stack_with_the_example_settings() -> None:
    result = run_compose("config", "--quiet", env_file=ENV_EXAMPLE)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("password", ["POSTGRES_PASSWORD", "TEMPORAL_POSTGRES_PASSWORD", "SERVICE_DB_PASSWORD"])
def test_docker_compose_refuses_to_start_without_each_database_password(tmp_path: Path, password: str) -> None:
    settings = re.sub(rf"^{password}=.*$", f"{password}=", ENV_EXAMPLE.read_text(encoding="utf-8"), flags=re.M)
    without_password = tmp_path / "without-password.env"
    without_password.write_text(settings, encoding="utf-8")

    result = run_compose("config", "--quiet", env_file=without_password)

    assert result.returncode != 0
    assert password in result.stderr


def test_docker_compose_refuses_to_start_without_codec_keys(tmp_path: Path) -> None:
    settings = ENV_EXAMPLE.read_text(encoding="utf-8").replace("CODEC_KEYS=change-me", "CODEC_KEYS=")
    without_keys = tmp_path / "without-keys.env"
    without_keys.write_text(settings, encoding="utf-8")

    result = run_compose("config", "--quiet", env_file=without_keys)

    assert result.returncode != 0
    assert "CODEC_KEYS" in result.stderr


def test_every_service_the_operations_guide_names_exists() -> None:
    named = _services_named_in(OPERATIONS.read_text(encoding="utf-8"))

    assert named, "docs/operations.md names no service"
    assert named <= set(raw()["services"]), named - set(raw()["services"])


def test_every_setting_reaches_every_process_of_the_service() -> None:
    needed = _setting_names() - NOT_FOR_CONTAINERS
    processes = service_processes()

    assert set(processes) == {"temporal-namespace", "migrate", "worker", "api"}
    for name, service in processes.items():
        assert needed <= set(service["environment"]), f"{name} lacks {needed - set(service['environment'])}"


def test_the_service_processes_get_no_variable_the_settings_do_not_know() -> None:
    for name, service in service_processes().items():
        unknown = set(service["environment"]) - _setting_names()
        assert not unknown, f"{name}: {unknown}"


def test_every_variable_of_the_example_env_file_is_a_setting_or_used_by_the_compose_file() -> None:
    listed = _variables_listed_in(ENV_EXAMPLE)

    assert listed - _setting_names() - _variables_interpolated() == set()


def test_every_variable_the_compose_file_reads_is_in_the_example_env_file() -> None:
    assert _variables_interpolated() - _variables_listed_in(ENV_EXAMPLE) == set()


def test_the_resolved_environment_makes_valid_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    worker = resolved()["services"]["worker"]
    # The secrets mounted into the container: files of their own here, holding their names.
    mounted = {f"/run/secrets/{secret['target']}": secret["source"] for secret in worker["secrets"]}
    for name in mounted.values():
        (tmp_path / name).write_bytes(name.encode())
    for setting in _setting_names():
        monkeypatch.delenv(setting, raising=False)
    for key, value in worker["environment"].items():
        monkeypatch.setenv(key, str(tmp_path / mounted[value]) if value in mounted else value or "")

    settings = Settings(_env_file=None)

    assert settings.database_url is not None and "@postgres:5432/iin" in settings.database_url
    assert settings.temporal_address == "temporal:7233"
    assert settings.temporal_api_key is None
    assert settings.temporal_connect_config() == {
        "target_host": "temporal:7233",
        "namespace": "default",
        "tls": TLSConfig(
            server_root_ca_cert=b"temporal-ca",
            client_cert=b"worker-cert",
            client_private_key=b"worker-key",
            domain="temporal",
        ),
    }


def test_every_image_is_pinned_to_a_version() -> None:
    for name, service in resolved()["services"].items():
        repository, _, tag = service["image"].rpartition(":")
        assert repository, f"{name}: {service['image']} has no tag"
        assert re.fullmatch(r"v?\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?", tag), f"{name}: {service['image']} is not a version"


def test_no_service_fixes_its_container_name() -> None:
    named = [name for name, service in raw()["services"].items() if "container_name" in service]

    assert named == []


def test_workers_publish_no_host_port_so_they_scale() -> None:
    worker = raw()["services"]["worker"]

    assert "ports" not in worker
    assert worker["command"] == ["worker"]


def test_long_running_services_have_health_checks_and_restart() -> None:
    for name, service in raw()["services"].items():
        if name in ONE_SHOT or on_demand(service):
            continue
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name


def test_one_shot_jobs_retry_on_failure_and_gate_what_needs_them() -> None:
    services: dict[str, Any] = raw()["services"]
    for name in ONE_SHOT:
        assert services[name]["restart"].startswith("on-failure"), name
    completed = {
        (dependant, dependency)
        for dependant, service in services.items()
        for dependency, condition in service.get("depends_on", {}).items()
        if condition["condition"] == "service_completed_successfully"
    }
    assert {
        ("temporal", "temporal-schema"),
        ("worker", "migrate"),
        ("worker", "temporal-namespace"),
        ("api", "migrate"),
        ("api", "temporal-namespace"),
    } <= completed


def test_databases_keep_their_data_on_named_volumes() -> None:
    stack = raw()
    for name in ("postgres", "temporal-postgres"):
        volume = stack["services"][name]["volumes"][0].split(":")[0]
        assert volume in stack["volumes"], name


def test_temporal_schema_is_set_up_by_the_official_tool_for_both_databases() -> None:
    script = raw()["services"]["temporal-schema"]["command"][0]

    assert "temporal-sql-tool --plugin postgres12" in script
    for database in ("temporal", "temporal_visibility"):
        assert f"--db {database} setup-schema -v 0.0" in script
        assert f"--db {database} update-schema" in script


def test_web_ui_decodes_through_the_public_codec_endpoint() -> None:
    ui = resolved()["services"]["temporal-ui"]["environment"]
    api = resolved()["services"]["api"]["environment"]

    assert ui["TEMPORAL_CODEC_ENDPOINT"] == f"{api['PUBLIC_BASE_URL']}/codec"


def test_the_production_api_limits_requests_and_trusts_no_forwarded_address(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in _setting_names():
        monkeypatch.delenv(setting, raising=False)
    for key, value in resolved()["services"]["api"]["environment"].items():
        monkeypatch.setenv(key, value or "")

    limits = RateLimits.from_settings(Settings(_env_file=None))

    assert limits is not None
    assert limits.trusted_proxies == ()


def test_docker_waits_longer_than_the_graceful_shutdown() -> None:
    worker = resolved()["services"]["worker"]
    grace = float(worker["environment"]["WORKER_GRACEFUL_SHUTDOWN_SECONDS"])

    assert _seconds(worker["stop_grace_period"]) > grace + 5


def _variables_listed_in(env_file: Path) -> set[str]:
    """NAME of every `NAME=` or `#NAME=` line."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", env_file.read_text(encoding="utf-8"), re.MULTILINE))


def _variables_interpolated() -> set[str]:
    """Every variable docker-compose.yml interpolates (`${NAME...}`), whatever the service."""
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text(encoding="utf-8")))


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    assert match, duration
    return int(match[1]) * (60 if match[2] == "m" else 1)


def _services_named_in(markdown: str) -> set[str]:
    """Services in the first column of a table, in `docker compose SUBCOMMAND ... SERVICE`, in `--scale S=N`."""
    named = set(re.findall(r"^\| `([a-z][a-z0-9-]*)` \|", markdown, re.MULTILINE))
    for line in markdown.splitlines():
        words = line.strip().removeprefix("$ ").split()
        if words[:2] != ["docker", "compose"]:
            continue
        named |= {word.split("=")[0] for before, word in itertools.pairwise(words) if before == "--scale"}
        positional = [word for word in words[2:] if not word.startswith("-") and "=" not in word]
        if len(positional) > 1 and positional[0] in {"exec", "run", "logs", "restart", "stop", "start", "pull"}:
            named.add(positional[1])
    return named
