"""The one way every process of the service (worker, stack, CLI, API) connects to Temporal."""

from opentelemetry.sdk.trace import TracerProvider
from temporalio.client import Client
from temporalio.converter import DataConverter
from temporalio.runtime import Runtime

from codec.converter import build_data_converter
from codec.keys import KeyRing
from codec.settings import LOCAL_KEY_FILE, key_ring, local_key_ring
from config.settings import Settings, get_settings
from observability.tracing import temporal_interceptors


class EncryptionNotConfigured(RuntimeError):
    """No codec keys, and plain payloads not explicitly allowed: the process must not start."""


def service_key_ring(settings: Settings) -> KeyRing | None:
    """The codec keys of CODEC_KEYS or CODEC_KEY_FILE, else the local stack's key file, if it has one."""
    ring = key_ring(settings)
    if ring is None and (settings.data_dir / LOCAL_KEY_FILE).exists():
        ring = local_key_ring(settings.data_dir)
    return ring


def data_converter(settings: Settings | None = None) -> DataConverter:
    """The wire format of every payload: the single place it is chosen, for clients and workers.

    Pydantic JSON sealed by the AES-GCM codec with the keys of CODEC_KEYS or CODEC_KEY_FILE, or
    else with the local stack's own key file under DATA_DIR (written by `iin up`); plain JSON only
    with CODEC_ALLOW_PLAINTEXT, else EncryptionNotConfigured. Fails closed because a worker without
    keys would put names and document numbers into Temporal's store in plain JSON.
    """
    settings = settings or get_settings()
    ring = service_key_ring(settings)
    if ring is None and not settings.codec_allow_plaintext:
        raise EncryptionNotConfigured(
            "no codec keys: set CODEC_KEYS or CODEC_KEY_FILE (docs/operations.md), or CODEC_ALLOW_PLAINTEXT=true"
            " for development only"
        )
    return build_data_converter(ring)


def reading_converter(settings: Settings | None = None) -> DataConverter:
    """The converter of tools that only read histories (replay, audit timelines), never act on them.

    With keys it opens sealed payloads and lets plain ones through, so histories recorded before the
    service had keys (and the stored test histories) still replay; without keys it is plain JSON.
    """
    settings = settings or get_settings()
    return build_data_converter(service_key_ring(settings), accept_plaintext=True)


async def connect_temporal(
    address: str | None = None,
    namespace: str | None = None,
    *,
    settings: Settings | None = None,
    runtime: Runtime | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Client:
    """A client configured as every Temporal tool is (profile, TEMPORAL_* settings, API key, TLS).

    `address` and `namespace`, when given, win over the settings: the local stack passes the dev
    server it started. With `tracer_provider`, workflow starts are traced, and so are the runs and
    activities of a worker built on this client (observability/tracing.py).
    """
    settings = settings or get_settings()
    config = settings.temporal_connect_config()
    target = address or config.get("target_host")
    if not target:
        raise RuntimeError("no Temporal to connect to: set TEMPORAL_ADDRESS (or a profile), or start `make up`")
    config["target_host"] = target
    config["namespace"] = namespace or settings.temporal_namespace
    return await Client.connect(
        **config,
        data_converter=data_converter(settings),
        runtime=runtime,
        interceptors=temporal_interceptors(tracer_provider),
    )
