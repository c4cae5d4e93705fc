"""The codec keys the settings name, or a local key file the embedded stack creates for itself."""

from pathlib import Path

from codec.keys import KeyRing, new_key_entry
from config.settings import Settings

LOCAL_KEY_FILE = "codec-keys.txt"


def key_ring(settings: Settings) -> KeyRing | None:
    """The ring from CODEC_KEYS or CODEC_KEY_FILE; None when neither is set."""
    if settings.codec_keys is not None:
        return KeyRing.parse(settings.codec_keys.get_secret_value())
    if settings.codec_key_file is not None:
        return KeyRing.from_file(settings.codec_key_file)
    return None


def local_key_ring(data_dir: Path) -> KeyRing:
    """The local stack's ring: created once under the data dir (mode 0600), reused after."""
    path = data_dir / LOCAL_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(new_key_entry("local-1") + "\n", encoding="utf-8")
    return KeyRing.from_file(path)
