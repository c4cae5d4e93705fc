"""Codec keys: several at once, so histories encoded with a retired key still decode after a rotation.

Keys come from the settings (`CODEC_KEYS`) or a key file (`CODEC_KEY_FILE`), never from the repo.
The text form is `id:base64key` entries separated by commas or new lines; the first is the primary
key, used to encode; every key decodes.
"""

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32  # AES-256
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class KeyRingError(ValueError):
    """The key material is malformed: the message says which entry and why."""


@dataclass(frozen=True)
class KeyRing:
    """The primary key id and every key by id."""

    primary: str
    keys: dict[str, bytes]

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise KeyRingError(f"primary key {self.primary!r} is not in the ring")

    @classmethod
    def parse(cls, text: str) -> "KeyRing":
        """Read `id:base64key` entries; the first is the primary."""
        entries = [e.strip() for e in re.split(r"[,\n]", text) if e.strip() and not e.strip().startswith("#")]
        if not entries:
            raise KeyRingError("no codec key given")
        keys: dict[str, bytes] = {}
        for position, entry in enumerate(entries, 1):
            key_id, sep, encoded = entry.partition(":")
            if not sep or not _KEY_ID.match(key_id):
                raise KeyRingError(f"entry {position}: expected 'id:base64key' with a plain id")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error as error:
                raise KeyRingError(f"entry {position} ({key_id}): key is not base64") from error
            if len(key) != KEY_BYTES:
                raise KeyRingError(f"entry {position} ({key_id}): key must be {KEY_BYTES} bytes, not {len(key)}")
            if key_id in keys:
                raise KeyRingError(f"entry {position}: key id {key_id!r} appears twice")
            keys[key_id] = key
        return cls(primary=entries[0].partition(":")[0], keys=keys)

    @classmethod
    def from_file(cls, path: Path) -> "KeyRing":
        """Read a key file in the text form."""
        return cls.parse(path.read_text(encoding="utf-8"))


def new_key_entry(key_id: str) -> str:
    """A fresh `id:base64key` entry, for a key file or a secret store."""
    if not _KEY_ID.match(key_id):
        raise KeyRingError(f"key id {key_id!r} must be 1-64 letters, digits, '.', '_' or '-'")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode('ascii')}"
