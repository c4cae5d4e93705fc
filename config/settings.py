"""Every setting of the service, read from the environment (prefix-free names, as operators expect)."""

import ipaddress
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from limits import parse_many
from limits.aio import storage as limit_storages
from pydantic import Field, PrivateAttr, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.envconfig import ClientConfigProfile, ClientConnectConfig

from db.pool import DEFAULT_GUARDS, SessionGuards

REPO_ROOT = Path(__file__).resolve().parents[1]
# The stores of `limits` that keep a moving window (memcached keeps none), by URI scheme.
RATE_LIMIT_SCHEMES = frozenset(
    scheme.removeprefix("async+")
    for store in vars(limit_storages).values()
    if isinstance(store, type)
    and issubclass(store, limit_storages.Storage)
    and issubclass(store, limit_storages.MovingWindowSupport)
    for scheme in store.STORAGE_SCHEME or ()
)


class Settings(BaseSettings):
    """Where the infrastructure is and how the worker behaves.

    With DATABASE_URL and TEMPORAL_ADDRESS unset, `iin up` starts embedded PostgreSQL and the
    Temporal dev server under DATA_DIR and points everything at them.
    """

    # An empty variable counts as unset: compose files pass `${VAR:-}` through as "".
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str | None = Field(default=None, description="PostgreSQL DSN; embedded server when unset.")
    temporal_address: str | None = Field(default=None, description="host:port; local dev server when unset.")
    temporal_namespace: str = "default"
    # The Temporal connection resolves as in every Temporal tool (temporalio.envconfig): the profile
    # TEMPORAL_PROFILE of the TOML file TEMPORAL_CONFIG_FILE (or the user's), then these variables over it.
    temporal_api_key: SecretStr | None = Field(default=None, description="API key (Temporal Cloud); implies TLS.")
    temporal_tls: bool | None = Field(default=None, description="Force TLS on or off; unset: on with a key or cert.")
    temporal_tls_server_name: str | None = Field(default=None, description="TLS server name (SNI) override.")
    temporal_tls_server_ca_cert_path: Path | None = Field(default=None, description="CA of the server's certificate.")
    temporal_tls_client_cert_path: Path | None = Field(default=None, description="Client certificate (mTLS).")
    temporal_tls_client_key_path: Path | None = Field(default=None, description="Client private key (mTLS).")
    temporal_profile: str | None = Field(default=None, description="Profile of the Temporal config file to use.")
    temporal_config_file: Path | None = Field(default=None, description="Temporal config file (TOML).")
    temporal_namespace_retention_days: int = Field(
        default=30, ge=0, description="Retention `iin prepare-namespace` sets; 0 leaves the namespace alone."
    )
    task_queue: str = "iin-applications"
    data_dir: Path = REPO_ROOT / ".data"
    reference_data_dir: Path = REPO_ROOT / "data"
    db_pool_min: int = Field(default=2, ge=1)
    db_pool_max: int = Field(default=10, ge=1)
    # Server-side limits on every session of the service; why these defaults: db/pool.py, SessionGuards.
    db_statement_timeout_ms: int = Field(
        default=DEFAULT_GUARDS.statement_timeout_ms, ge=0, description="statement_timeout of each session; 0: none."
    )
    db_lock_timeout_ms: int = Field(
        default=DEFAULT_GUARDS.lock_timeout_ms, ge=0, description="lock_timeout: longest lock wait; 0: none."
    )
    db_idle_in_transaction_timeout_ms: int = Field(
        default=DEFAULT_GUARDS.idle_in_transaction_timeout_ms,
        ge=0,
        description="idle_in_transaction_session_timeout: a session idle that long in a transaction is ended.",
    )
    # The national register (register/, docs/register.md): embedded in DATABASE_URL's database when
    # REGISTER_URL is unset, else the remote register at that URL.
    register_url: str | None = Field(
        default=None, description="Base URL of the national register; embedded when unset."
    )
    register_token: SecretStr | None = Field(default=None, description="Bearer credential for the register.")
    register_ca_file: Path | None = Field(default=None, description="CA the register's certificate is checked against.")
    register_client_cert: Path | None = Field(default=None, description="Client certificate for the register (mTLS).")
    register_client_key: Path | None = Field(default=None, description="Private key of the client certificate.")
    register_timeout_seconds: float = Field(default=10.0, gt=0, description="Longest wait for one register request.")
    max_concurrent_activities: int = Field(default=100, ge=1)
    max_concurrent_workflow_tasks: int = Field(default=100, ge=1)
    workflow_sandbox: bool = Field(
        default=True,
        description="Run workflows in the SDK's sandbox, a guard against non-deterministic calls; false saves"
        " about 2-3 ms of worker CPU per application. Tests and replays always use it.",
    )
    temporal_ui_port: int = 8233
    temporal_port: int = 7233
    api_port: int = Field(default=8000, description="Port of the HTTP API (`iin up`, `iin api`).")
    api_host: str = Field(default="127.0.0.1", description="Interface `iin api` listens on (0.0.0.0 in a container).")
    api_metrics_port: int = Field(
        default=9465,
        ge=0,
        le=65535,
        description="Port of `iin api`'s Prometheus /metrics, on API_HOST, apart from the API's; 0 turns it off.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of the API: certificates' QR codes point at its verification pages.",
    )
    codec_keys: SecretStr | None = Field(
        default=None, description="Payload codec keys, 'id:base64key' comma-separated, the first encodes."
    )
    codec_key_file: Path | None = Field(default=None, description="A file holding codec keys in the same form.")
    codec_allow_plaintext: bool = Field(
        default=False,
        description="Development only: without codec keys, connect anyway and leave payloads in plain JSON"
        " (without keys and without this, the worker, the API and every client refuse to start).",
    )
    session_minutes: int = Field(
        default=60,
        ge=1,
        le=720,
        description="Lifetime of a browser's sign-in (the codec's, the review desk's); a logout or the key's"
        " revocation ends it sooner.",
    )
    review_four_eyes: bool = Field(
        default=False,
        description="Four eyes on probable duplicates: a different_person verdict (a new IIN despite a probable"
        " match) takes effect only once two different reviewer keys gave it; same_person needs one.",
    )
    temporal_ui_origins: list[str] = Field(
        default=["http://127.0.0.1:8233", "http://localhost:8233"],
        description="Origins of the Temporal Web UI allowed to call the codec endpoint (JSON list).",
    )
    worker_health_host: str = Field(
        default="127.0.0.1",
        description="Interface of the worker's /livez, /readyz and /metrics (0.0.0.0 in a container).",
    )
    worker_health_port: int = Field(default=8081, ge=0, le=65535, description="Port of the probes; 0 turns them off.")
    worker_metrics_port: int = Field(
        default=9464, ge=0, le=65535, description="Port of the worker's Prometheus /metrics; 0 turns them off."
    )
    worker_graceful_shutdown_seconds: float = Field(
        default=30.0, ge=0, description="On SIGTERM, how long in-flight activities may run before they are cancelled."
    )

    # Webhooks (docs/api.md, "Events and webhooks"): where they may point, and how deliveries are timed.
    webhook_allowed_networks: list[str] = Field(
        default=[],
        description="Networks webhooks may reach although private or loopback (JSON list, e.g."
        ' ["127.0.0.0/8", "::1/128"]); empty in production. `make up` allows loopback.',
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, description="Longest wait for a receiver's answer.")
    webhook_backoff_initial_seconds: float = Field(
        default=5.0, gt=0, description="Wait after a first failed delivery; doubles with each failure, with jitter."
    )
    webhook_backoff_max_seconds: float = Field(default=600.0, gt=0, description="Longest wait between attempts.")
    webhook_disable_after_hours: float = Field(
        default=72.0, gt=0, description="A subscription failing this long is disabled, the reason shown."
    )
    webhook_secret_overlap_hours: float = Field(
        default=24.0, ge=0, description="After a secret rotation, how long the old secret still signs."
    )

    # Rate limits (docs/operations.md, "Rate limits"; api/ratelimit.py): 429 with Retry-After past them.
    rate_limit_enabled: bool = Field(
        default=True,
        description="Limit requests per API key, per client address on the public certificate check, and"
        " failed authentications per address; false turns every limit off (throughput tests, benchmarks).",
    )
    rate_limit_per_key: str = Field(
        default="600/minute",
        description="Requests one API key may make to the /v1 API, in any moving window: '600/minute', or"
        " several joined by ';' ('20/second;600/minute').",
    )
    rate_limit_per_address: str = Field(
        default="60/minute",
        description="Certificate checks (GET /v1/certificates/{n}/verification and the page /verify/{n})"
        " one client address may make; IPv6 addresses count by their /64.",
    )
    rate_limit_auth_failures: str = Field(
        default="30/minute",
        description="Failed authentications (unknown or revoked key) one client address may make; past it,"
        " every request with a key from that address gets 429, its key not even looked up.",
    )
    rate_limit_trusted_proxies: list[str] = Field(
        default=[],
        description="Networks of the reverse proxies in front of the API whose X-Forwarded-For names the"
        ' client (JSON list, e.g. ["10.0.0.0/8"]); empty: X-Forwarded-For is ignored, the peer is the client.',
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where the counts are kept, a storage URI of the `limits` library: memory:// is each"
        " API process's own memory (N replicas: N times the limits); redis:// needs its driver installed.",
    )

    # Traces and logs (docs/operations.md, "Traces and logs"; observability/).
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        description="Base URL of an OTLP/HTTP collector (http://collector:4318); traces go to its /v1/traces."
        " Unset: no tracing at all. The other OTEL_* variables are read by the OpenTelemetry SDK itself.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text: lines for a person; json: one JSON object a line, for a log store."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="The least severe records written."
    )

    _temporal: ClientConfigProfile = PrivateAttr()

    @field_validator("rate_limit_per_key", "rate_limit_per_address", "rate_limit_auth_failures")
    @classmethod
    def _rate_limits(cls, value: str) -> str:
        items = parse_many(value)  # ValueError if it is not 'N/unit[;N/unit...]'
        if any(item.amount < 1 for item in items):
            raise ValueError("a limit allows at least 1 request; RATE_LIMIT_ENABLED=false turns limits off")
        return value

    @field_validator("rate_limit_trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # ValueError if it is not a network
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _rate_limit_storage(cls, value: str) -> str:
        scheme = urllib.parse.urlparse(value).scheme.removeprefix("async+")
        if scheme not in RATE_LIMIT_SCHEMES:
            raise ValueError(f"not a `limits` storage with a moving window: one of {sorted(RATE_LIMIT_SCHEMES)}")
        return value

    def model_post_init(self, context: Any) -> None:
        """Resolve the Temporal profile once: its address and namespace become these settings' own.

        Its certificate files are read only when a connection is made (`temporal_connect_config`): a
        process that never connects to Temporal (`iin migrate`, `iin keys`) does not need them mounted.
        """
        super().model_post_init(context)
        profile = ClientConfigProfile.load(self.temporal_profile, override_env_vars=self._temporal_variables())
        self._temporal = profile
        if profile.address:
            self.temporal_address = profile.address
        if profile.namespace:
            self.temporal_namespace = profile.namespace

    def session_guards(self) -> SessionGuards:
        """The PostgreSQL session guards every pool of the process opens its connections with."""
        return SessionGuards(
            statement_timeout_ms=self.db_statement_timeout_ms,
            lock_timeout_ms=self.db_lock_timeout_ms,
            idle_in_transaction_timeout_ms=self.db_idle_in_transaction_timeout_ms,
        )

    def temporal_connect_config(self) -> ClientConnectConfig:
        """Keyword arguments for `Client.connect`: address, namespace, API key, TLS, gRPC metadata."""
        return self._temporal.to_client_connect_config()

    def _temporal_variables(self) -> dict[str, str]:
        # envconfig is handed exactly what these settings read (environment or .env), never the raw
        # environment; a namespace left at its default does not override the profile's.
        set_here = self.model_fields_set
        values: dict[str, object] = {
            "TEMPORAL_ADDRESS": self.temporal_address,
            "TEMPORAL_NAMESPACE": self.temporal_namespace if "temporal_namespace" in set_here else None,
            "TEMPORAL_API_KEY": self.temporal_api_key.get_secret_value() if self.temporal_api_key else None,
            "TEMPORAL_TLS": None if self.temporal_tls is None else str(self.temporal_tls).lower(),
            "TEMPORAL_TLS_SERVER_NAME": self.temporal_tls_server_name,
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH": self.temporal_tls_server_ca_cert_path,
            "TEMPORAL_TLS_CLIENT_CERT_PATH": self.temporal_tls_client_cert_path,
            "TEMPORAL_TLS_CLIENT_KEY_PATH": self.temporal_tls_client_key_path,
            "TEMPORAL_PROFILE": self.temporal_profile,
            "TEMPORAL_CONFIG_FILE": self.temporal_config_file,
        }
        return {name: str(value) for name, value in values.items() if value is not None}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
