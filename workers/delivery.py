"""The webhook delivery loop beside a worker: started with the process, stopped with it."""

import asyncio
import logging

import asyncpg
from temporalio.common import MetricMeter

from codec.keys import KeyRing
from config.settings import Settings
from events.delivery import DeliveryLoop, DeliveryPolicy
from events.metrics import DeliveryMetrics
from events.secrets import SecretBox

log = logging.getLogger(__name__)


def start_delivery(
    settings: Settings, pool: asyncpg.Pool, ring: KeyRing | None, meter: MetricMeter = MetricMeter.noop
) -> asyncio.Task[None] | None:
    """Deliver webhooks on `pool` until the task is cancelled; None without codec keys (no secret opens).

    Attempts are counted on `meter` (the worker runtime's, when it exports metrics).
    """
    if ring is None:
        log.warning("webhooks are not delivered: no codec keys (CODEC_KEYS or CODEC_KEY_FILE) to open their secrets")
        return None
    loop = DeliveryLoop(pool, SecretBox(ring), DeliveryPolicy.from_settings(settings), metrics=DeliveryMetrics(meter))
    return asyncio.create_task(loop.run(), name="webhook-delivery")
