"""The one way every process of the service (worker, stack, CLI, API) connects to Temporal."""

from temporalio.client import Client
from temporalio.converter import DataConverter
from temporalio.runtime import Runtime

from codec.converter import build_data_converter
from codec.keys import KeyRing
from codec.settings import LOCAL_KEY_FILE, key_ring, local_key_ring
from config.settings import Settings, get_settings


def data_converter(settings: Settings | None = None) -> DataConverter:
    """The wire format of every payload: the single place it is chosen, for clients, workers and replay.

    Pydantic JSON sealed by the AES-GCM codec with the keys of CODEC_KEYS or CODEC_KEY_FILE, or
    else with the local stack's own key file under DATA_DIR (written by `iin up`).
    """
    return build_data_converter(service_key_ring(settings or get_settings()))


def service_key_ring(settings: Settings) -> KeyRing | None:
    """The codec keys of CODEC_KEYS or CODEC_KEY_FILE, else the local stack's key file, if it has one."""
    ring = key_ring(settings)
    if ring is None and (settings.data_dir / LOCAL_KEY_FILE).exists():
        ring = local_key_ring(settings.data_dir)
    return ring


async def connect_temporal(
    address: str | None = None,
    namespace: str | None = None,
    *,
    settings: Settings | None = None,
    runtime: Runtime | None = None,
) -> Client:
    """A client configured as every Temporal tool is (profile, TEMPORAL_* settings, API key, TLS).

    `address` and `namespace`, when given, win over the settings: the local stack passes the dev
    server it started.
    """
    settings = settings or get_settings()
    config = settings.temporal_connect_config()
    target = address or config.get("target_host")
    if not target:
        raise RuntimeError("no Temporal to connect to: set TEMPORAL_ADDRESS (or a profile), or start `make up`")
    config["target_host"] = target
    config["namespace"] = namespace or settings.temporal_namespace
    return await Client.connect(**config, data_converter=data_converter(settings), runtime=runtime)
