"""Every setting of the service, read from the environment (prefix-free names, as operators expect)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Where the infrastructure is and how the worker behaves.

    With DATABASE_URL and TEMPORAL_ADDRESS unset, `iin up` starts embedded PostgreSQL and the
    Temporal dev server under DATA_DIR and points everything at them.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = Field(default=None, description="PostgreSQL DSN; embedded server when unset.")
    temporal_address: str | None = Field(default=None, description="host:port; local dev server when unset.")
    temporal_namespace: str = "default"
    task_queue: str = "iin-applications"
    data_dir: Path = REPO_ROOT / ".data"
    reference_data_dir: Path = REPO_ROOT / "data"
    db_pool_min: int = Field(default=2, ge=1)
    db_pool_max: int = Field(default=10, ge=1)
    max_concurrent_activities: int = Field(default=100, ge=1)
    max_concurrent_workflow_tasks: int = Field(default=100, ge=1)
    temporal_ui_port: int = 8233
    temporal_port: int = 7233


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
