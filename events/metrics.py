"""What the delivery loop records of each attempt, on the worker runtime's meter (workers/metrics.py)."""

from dataclasses import dataclass, field
from datetime import timedelta

from temporalio.common import MetricMeter

DELIVERIES = "iin_webhook_deliveries"
DELIVERY_DURATION = "iin_webhook_delivery_duration"
DELIVERY_LAG = "iin_webhook_delivery_lag"


@dataclass
class DeliveryMetrics:
    """Counters and histograms of webhook attempts; on the no-op meter unless the process exports metrics.

    Labels are the outcome only: a subscription's id or URL would be a label per receiver.
    """

    meter: MetricMeter = field(default_factory=lambda: MetricMeter.noop)

    def __post_init__(self) -> None:
        self._attempts = self.meter.create_counter(DELIVERIES, "Webhook delivery attempts, by outcome")
        self._duration = self.meter.create_histogram_timedelta(
            DELIVERY_DURATION, "How long a receiver took to answer an attempt, by outcome"
        )
        self._lag = self.meter.create_histogram_timedelta(
            DELIVERY_LAG, "From an event's transition to its delivery to a subscription"
        )

    def attempted(self, delivered: bool, duration_ms: float) -> None:
        """One attempt: delivered (a 2xx) or failed (any other answer, no answer, an unsafe URL)."""
        outcome = {"outcome": "delivered" if delivered else "failed"}
        self._attempts.add(1, outcome)
        self._duration.record(timedelta(milliseconds=duration_ms), outcome)

    def delivered_after(self, lag: timedelta) -> None:
        """An event reached a subscription `lag` after its transition."""
        self._lag.record(max(lag, timedelta(0)))
