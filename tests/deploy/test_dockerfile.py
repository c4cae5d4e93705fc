"""The service's image: slim pinned base, no development dependencies, a non-root user."""

import re
import tomllib

from config.settings import REPO_ROOT

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
DOCKERIGNORE = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
# The distributions of their own the service depends on (the wire models, the typed client).
PACKAGES = list((REPO_ROOT / "packages").glob("*/pyproject.toml"))


def _instructions(name: str) -> list[str]:
    return re.findall(rf"^{name}\s+(.+)$", DOCKERFILE, re.MULTILINE)


def _final_stage() -> str:
    return DOCKERFILE.rsplit("\nFROM ", 1)[1]


def test_the_base_is_a_slim_python_311_pinned_to_a_patch_release() -> None:
    (base,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, re.MULTILINE)

    assert re.fullmatch(r"python:3\.11\.\d+-slim(-[a-z]+)?", base), base
    assert all(stage.split()[0] == "${PYTHON_IMAGE}" for stage in _instructions("FROM"))


def test_the_image_runs_as_a_numeric_non_root_user() -> None:
    users = re.findall(r"^USER\s+(\S+)$", _final_stage(), re.MULTILINE)

    assert len(users) == 1
    uid, _, gid = users[0].partition(":")
    assert uid.isdigit() and int(uid) > 0 and (not gid or int(gid) > 0)


def test_the_project_and_its_packages_are_installed_in_one_command_without_extras() -> None:
    installs = [line for line in _instructions("RUN") if "pip install" in line]
    packages = " ".join(f"./{path.parent.relative_to(REPO_ROOT)}" for path in sorted(PACKAGES))

    assert installs == [f"/opt/iin/bin/pip install {packages} ."]


def test_the_image_runs_the_iin_command() -> None:
    assert _instructions("ENTRYPOINT") == ['["iin"]']
    assert _instructions("CMD") == ['["worker"]']


def test_the_reference_data_ship_in_the_image() -> None:
    assert "COPY data/ /app/data/" in _final_stage()
    assert "REFERENCE_DATA_DIR=/app/data" in _final_stage()


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    assert {".env", ".env.*", ".venv", ".data", ".git", "tests"} <= set(DOCKERIGNORE)


def test_every_package_of_the_service_is_installed_into_the_image() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    packages = {path.parent.name for path in REPO_ROOT.glob("*/__init__.py")} - {"tests", "bench"}

    assert packages - shipped == set()
