"""What the API needs to manage webhooks: the secrets' box, the networks allowed, the rotation overlap."""

from dataclasses import dataclass
from datetime import timedelta

from codec.keys import KeyRing
from config.settings import Settings
from events.secrets import SecretBox
from events.urls import Network, parse_networks


@dataclass(frozen=True)
class WebhookConfig:
    """Without a box (no codec keys) subscriptions cannot be made; networks beyond public ones are listed."""

    box: SecretBox | None = None
    networks: tuple[Network, ...] = ()
    secret_overlap: timedelta = timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings: Settings, ring: KeyRing | None) -> "WebhookConfig":
        """WEBHOOK_ALLOWED_NETWORKS and WEBHOOK_SECRET_OVERLAP_HOURS, secrets sealed with `ring`."""
        return cls(
            box=SecretBox(ring) if ring is not None else None,
            networks=parse_networks(settings.webhook_allowed_networks),
            secret_overlap=timedelta(hours=settings.webhook_secret_overlap_hours),
        )
