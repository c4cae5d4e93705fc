"""The operator key the local stack makes for the `iin` commands run beside it (submit, status, sample).

`iin up` revokes the key of its previous run and writes a new one under DATA_DIR, readable by the
owner only; the commands read it when no `--api-key` is given.
"""

import json
import os
from pathlib import Path

import asyncpg

from config.settings import Settings
from db.api_keys import create_key, revoke_key

LOCAL_KEY_FILE = "api-key.json"


def local_key_path(settings: Settings) -> Path:
    """Where the local stack keeps its key."""
    return settings.data_dir / LOCAL_KEY_FILE


async def renew_local_key(pool: asyncpg.Pool, settings: Settings) -> Path:
    """Revoke the previous local key, create a new operator key and write it for the local commands."""
    path = local_key_path(settings)
    async with pool.acquire() as conn:
        if path.exists():
            await revoke_key(conn, json.loads(path.read_text(encoding="utf-8"))["id"])
        key, token = await create_key(conn, establishment_id=None, label="local stack (iin up)")
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"id": key.id, "token": token}, file)
    return path


def read_local_key(settings: Settings) -> str | None:
    """The local stack's key, if a stack has written one."""
    path = local_key_path(settings)
    if not path.exists():
        return None
    token: str = json.loads(path.read_text(encoding="utf-8"))["token"]
    return token
