"""Secrets come from the environment only: typed as secrets, never defaulted, never shown, never in the code."""

import re
import stat
import subprocess
from pathlib import Path

import pytest
from pydantic import SecretStr

from config.settings import REPO_ROOT, Settings
from workers import endpoints

SECRETS = {"temporal_api_key", "codec_keys"}
# A credential written into code: a password in a DSN, or a key/secret/token/password given a literal value.
LITERAL_CREDENTIAL = re.compile(
    r"://[^/\s:@'\"]+:[^@\s'\"$]+@|\b(api_key|secret|password|token)\s*=\s*['\"][^'\"]{6,}['\"]", re.IGNORECASE
)
SHIPPED = (
    "activities",
    "api",
    "codec",
    "config",
    "db",
    "documents",
    "packages",
    "rules",
    "schemas",
    "service",
    "workers",
)


def test_secret_settings_are_secret_typed_without_defaults() -> None:
    for name in SECRETS:
        field = Settings.model_fields[name]
        assert SecretStr in getattr(field.annotation, "__args__", (field.annotation,)), name
        assert field.default is None, name


def test_secrets_read_from_the_environment_are_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPORAL_API_KEY", "tk-very-secret-value")
    monkeypatch.setenv("CODEC_KEYS", "k1:c2VjcmV0LWNvZGVjLWtleS1mb3ItdGVzdHMtb25seQ==")
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", "/nonexistent/temporal.toml")

    settings = Settings(_env_file=None)

    assert settings.temporal_api_key is not None and settings.codec_keys is not None
    assert settings.temporal_api_key.get_secret_value() == "tk-very-secret-value"
    shown = f"{settings!r} {settings} {settings.model_dump()} {settings.model_dump_json()}"
    assert "tk-very-secret-value" not in shown
    assert "c2VjcmV0" not in shown


def test_no_credential_is_written_into_the_shipped_code() -> None:
    assert LITERAL_CREDENTIAL.search('DSN = "postgresql://iin:hunter22@db/iin"')  # the pattern finds what it seeks
    assert LITERAL_CREDENTIAL.search('api_key = "tk-1234567"')
    found = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for package in SHIPPED
        for path in (REPO_ROOT / package).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LITERAL_CREDENTIAL.search(line)
    ]
    assert found == []


def test_a_dotenv_file_is_never_committed() -> None:
    ignored = subprocess.run(["git", "check-ignore", "--quiet", ".env"], cwd=REPO_ROOT, check=False)

    assert ignored.returncode == 0, ".env is not in .gitignore"


def test_the_local_stacks_endpoints_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / endpoints.STACK_FILE).touch(mode=0o644)  # left by an older stack, world-readable

    path = endpoints.record(settings, endpoints.Endpoints("postgresql://iin:secret@db/iin", "t:7233", "default", "q"))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
