"""Settings: the one reader of the environment, and a Temporal connection resolved as every Temporal tool does."""

import re
import tomllib
from pathlib import Path

import pytest
from temporalio.service import TLSConfig

from config.settings import REPO_ROOT, Settings

PROFILES = """
[profile.default]
address = "localhost:7233"

[profile.prod]
address = "prod.internal:7233"
namespace = "iin-prod"
"""
ENVIRONMENT_READS = re.compile(r"\bos\.environ\b|\bos\.getenv\b|\bgetenv\(|\bfrom os import .*environ")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting from the test run's own environment, no .env, no user-wide Temporal config file."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", str(tmp_path / "absent.toml"))


def _profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "temporal.toml"
    config.write_text(PROFILES, encoding="utf-8")
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", str(config))


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://iin@db/iin")
    monkeypatch.setenv("MAX_CONCURRENT_ACTIVITIES", "7")
    monkeypatch.setenv("WORKER_GRACEFUL_SHUTDOWN_SECONDS", "12.5")

    settings = Settings()

    assert settings.database_url == "postgresql://iin@db/iin"
    assert settings.max_concurrent_activities == 7
    assert settings.worker_graceful_shutdown_seconds == 12.5


def test_settings_are_read_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TASK_QUEUE=from-dotenv\nTEMPORAL_ADDRESS=t.internal:7233\n", encoding="utf-8")

    settings = Settings()

    assert (settings.task_queue, settings.temporal_address) == ("from-dotenv", "t.internal:7233")


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPORAL_API_KEY", "")
    monkeypatch.setenv("TEMPORAL_TLS", "")

    settings = Settings()

    assert settings.temporal_api_key is None
    assert "tls" not in settings.temporal_connect_config()


def test_an_invalid_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKER_HEALTH_PORT", "70000")

    with pytest.raises(ValueError, match="worker_health_port"):
        Settings()


def test_a_profile_of_the_temporal_config_file_gives_address_and_namespace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("TEMPORAL_PROFILE", "prod")

    settings = Settings()

    assert (settings.temporal_address, settings.temporal_namespace) == ("prod.internal:7233", "iin-prod")


def test_temporal_variables_override_the_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("TEMPORAL_PROFILE", "prod")
    monkeypatch.setenv("TEMPORAL_NAMESPACE", "iin-staging")

    settings = Settings()

    assert (settings.temporal_address, settings.temporal_namespace) == ("prod.internal:7233", "iin-staging")


def test_a_missing_profile_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("TEMPORAL_PROFILE", "nowhere")

    with pytest.raises(Exception, match="nowhere"):
        Settings()


def test_an_api_key_connects_with_tls_as_to_temporal_cloud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPORAL_ADDRESS", "iin.a1b2c.tmprl.cloud:7233")
    monkeypatch.setenv("TEMPORAL_NAMESPACE", "iin.a1b2c")
    monkeypatch.setenv("TEMPORAL_API_KEY", "secret-key")

    config = Settings().temporal_connect_config()

    assert config == {
        "target_host": "iin.a1b2c.tmprl.cloud:7233",
        "namespace": "iin.a1b2c",
        "api_key": "secret-key",
        "tls": True,
    }


def test_mtls_reads_the_certificate_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ca", "cert", "key"):
        (tmp_path / f"{name}.pem").write_bytes(f"-- {name} --".encode())
    monkeypatch.setenv("TEMPORAL_ADDRESS", "temporal.internal:7233")
    monkeypatch.setenv("TEMPORAL_TLS_SERVER_CA_CERT_PATH", str(tmp_path / "ca.pem"))
    monkeypatch.setenv("TEMPORAL_TLS_CLIENT_CERT_PATH", str(tmp_path / "cert.pem"))
    monkeypatch.setenv("TEMPORAL_TLS_CLIENT_KEY_PATH", str(tmp_path / "key.pem"))
    monkeypatch.setenv("TEMPORAL_TLS_SERVER_NAME", "temporal")

    tls = Settings().temporal_connect_config()["tls"]

    assert tls == TLSConfig(
        server_root_ca_cert=b"-- ca --", client_cert=b"-- cert --", client_private_key=b"-- key --", domain="temporal"
    )


def test_a_process_that_never_connects_to_temporal_needs_no_certificate_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The compose file gives every process the mTLS paths; `migrate` mounts no certificate.
    monkeypatch.setenv("TEMPORAL_TLS", "true")
    monkeypatch.setenv("TEMPORAL_TLS_CLIENT_CERT_PATH", str(tmp_path / "absent.pem"))
    monkeypatch.setenv("TEMPORAL_TLS_CLIENT_KEY_PATH", str(tmp_path / "absent-key.pem"))
    settings = Settings()

    with pytest.raises(FileNotFoundError, match=r"absent\.pem"):
        settings.temporal_connect_config()


def test_the_example_env_file_lists_every_setting() -> None:
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", (REPO_ROOT / ".env.example").read_text(), re.MULTILINE))

    assert {name.upper() for name in Settings.model_fields} - listed == set()


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = [
        str(path.relative_to(REPO_ROOT))
        for package in _shipped_packages()
        if package != "config"
        for path in (REPO_ROOT / package).rglob("*.py")
        if ENVIRONMENT_READS.search(path.read_text(encoding="utf-8"))
    ]

    assert readers == []


def _shipped_packages() -> list[str]:
    """The top-level packages pyproject.toml ships, the service's code without tests and benchmarks, and
    the distributions under packages/ it installs (the wire models, the typed client)."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [pattern.rstrip("*") for pattern in patterns]
    assert "config" in packages and "workers" in packages
    return [package for package in packages if (REPO_ROOT / package).is_dir()] + ["packages"]


def test_the_worker_probes_and_metrics_listen_on_this_host_only_by_default() -> None:
    assert Settings().worker_health_host == "127.0.0.1"


def test_rate_limits_are_on_by_default() -> None:
    settings = Settings()

    assert settings.rate_limit_enabled
    assert settings.rate_limit_trusted_proxies == []  # X-Forwarded-For trusted from no one


@pytest.mark.parametrize("value", ["600/fortnight", "many", "0/minute"])
def test_a_rate_limit_that_allows_no_request_or_is_not_one_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_KEY", value)

    with pytest.raises(ValueError, match="rate_limit_per_key"):
        Settings()


def test_several_rate_limits_may_be_given_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_ADDRESS", "5/second;60/minute")

    assert Settings().rate_limit_per_address == "5/second;60/minute"


def test_a_trusted_proxy_that_is_not_a_network_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_TRUSTED_PROXIES", '["10.0.0.0/8", "proxy.internal"]')

    with pytest.raises(ValueError, match="rate_limit_trusted_proxies"):
        Settings()


@pytest.mark.parametrize("value", ["memcached://cache:11211", "nowhere://x"])
def test_a_rate_limit_storage_without_a_moving_window_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RATE_LIMIT_STORAGE", value)

    with pytest.raises(ValueError, match="rate_limit_storage"):
        Settings()
