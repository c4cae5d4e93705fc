"""Webhook secrets: made once, shown once, stored sealed with the codec key ring (AES-256-GCM).

A secret is bound to its subscription (the webhook id and the key id are the associated data), so a
sealed secret copied to another row does not open. After a codec key rotation the ring keeps the old
key beside the new primary: secrets sealed by it still open, and `reseal_secrets` (run by every
delivery loop as it starts) seals them again under the primary, after which the old key may go.
"""

import base64
import os
import secrets
from uuid import UUID

import asyncpg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from codec.keys import KeyRing
from db.webhooks import Sealed, reseal, sealed_with_other_keys

SECRET_PREFIX = "whsec_"  # the Standard Webhooks form: the prefix, then base64 of the key bytes
SECRET_BYTES = 32
_NONCE_BYTES = 12


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


class SecretBox:
    """Seals secrets with the ring's primary key; opens them with whichever key sealed them."""

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring
        self._ciphers = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}

    @property
    def primary(self) -> str:
        """The id of the key new secrets are sealed with."""
        return self._ring.primary

    def opens(self, key_id: str) -> bool:
        """Whether the ring holds the key `key_id`."""
        return key_id in self._ciphers

    def seal(self, webhook_id: UUID, secret: str) -> Sealed:
        """The secret sealed for the subscription `webhook_id` under the primary key."""
        key_id = self._ring.primary
        nonce = os.urandom(_NONCE_BYTES)
        data = nonce + self._ciphers[key_id].encrypt(nonce, secret.encode("ascii"), _bound(webhook_id, key_id))
        return Sealed(key_id=key_id, data=data)

    def open(self, webhook_id: UUID, sealed: Sealed) -> str:
        """The secret; raises KeyError for a key no longer in the ring, InvalidTag for altered data."""
        cipher = self._ciphers[sealed.key_id]
        nonce, ciphertext = sealed.data[:_NONCE_BYTES], sealed.data[_NONCE_BYTES:]
        plain = cipher.decrypt(nonce, ciphertext, _bound(webhook_id, sealed.key_id))
        return plain.decode("ascii")


def _bound(webhook_id: UUID, key_id: str) -> bytes:
    return f"webhook-secret/{webhook_id}/{key_id}".encode()


async def reseal_secrets(pool: asyncpg.Pool, box: SecretBox) -> int:
    """Seal again, under the primary key, every secret another key of the ring sealed; return how many rows.

    A secret sealed by a key no longer in the ring is left as it is (its deliveries disable the
    subscription, saying so).
    """
    resealed = 0
    async with pool.acquire() as conn, conn.transaction():
        rows = await sealed_with_other_keys(conn, box.primary)
        for row in rows:
            webhook_id = row["id"]
            if not box.opens(row["secret_key_id"]) or not box.opens(row["previous_key_id"] or box.primary):
                continue
            current = box.seal(webhook_id, box.open(webhook_id, Sealed(row["secret_key_id"], row["secret_sealed"])))
            previous = None
            if row["previous_sealed"] is not None:
                old = box.open(webhook_id, Sealed(row["previous_key_id"], row["previous_sealed"]))
                previous = box.seal(webhook_id, old)
            await reseal(conn, webhook_id, current, previous)
            resealed += 1
    return resealed
