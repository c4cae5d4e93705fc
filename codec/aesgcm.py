"""AES-256-GCM payload codec: each payload sealed whole, with its key id in the metadata."""

import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from codec.keys import KeyRing

ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
_NONCE_BYTES = 12


class CodecError(Exception):
    """A payload could not be decoded: unknown key, or data altered."""


class AesGcmCodec(PayloadCodec):
    """Encrypts every payload with the ring's primary key; decrypts with whichever key sealed it.

    The key id is bound to the ciphertext as associated data, so relabelling a payload with
    another key id fails authentication instead of decrypting garbage.

    A payload not sealed by a codec is refused: with keys, anything plain in a history was put
    there by someone without them (a client of Temporal injecting input), so a worker must not act
    on it. Only tools that read histories, never act on them, pass `accept_plaintext` (histories
    recorded before the service had keys, or the stored test histories).
    """

    def __init__(self, ring: KeyRing, *, accept_plaintext: bool = False) -> None:
        self._ring = ring
        self._accept_plaintext = accept_plaintext
        self._ciphers = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}

    @property
    def accepts_plaintext(self) -> bool:
        """Whether plain payloads pass decode (only in tools that read histories)."""
        return self._accept_plaintext

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Seal each payload with the primary key."""
        key_id = self._ring.primary
        cipher = self._ciphers[key_id]
        sealed = []
        for payload in payloads:
            nonce = os.urandom(_NONCE_BYTES)
            data = nonce + cipher.encrypt(nonce, payload.SerializeToString(), key_id.encode())
            sealed.append(Payload(metadata={"encoding": ENCODING, KEY_ID_METADATA: key_id.encode()}, data=data))
        return sealed

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Open each sealed payload; a plain one passes only with `accept_plaintext`, else CodecError."""
        opened = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                if not self._accept_plaintext:
                    raise CodecError("payload not sealed by the codec: refused (with keys, every payload is sealed)")
                opened.append(payload)
                continue
            key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode()
            cipher = self._ciphers.get(key_id)
            if cipher is None:
                raise CodecError(f"payload sealed with unknown codec key {key_id!r}")
            try:
                plain = cipher.decrypt(payload.data[:_NONCE_BYTES], payload.data[_NONCE_BYTES:], key_id.encode())
            except InvalidTag as error:
                raise CodecError(f"payload sealed with key {key_id!r} failed authentication") from error
            opened.append(Payload.FromString(plain))
        return opened
