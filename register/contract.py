"""The register's HTTP contract as an OpenAPI document: what docs/register-openapi.json holds.

`python -m register.contract` writes the file from the simulator's routes and models; a test fails
when the two differ, so a change of the contract is always a reviewed diff of that file.
"""

import json
import sys
from pathlib import Path
from typing import Any, cast

import asyncpg

from config.settings import REPO_ROOT
from register.simulator import create_app

CONTRACT_FILE = REPO_ROOT / "docs" / "register-openapi.json"


def contract() -> dict[str, Any]:
    """The OpenAPI document of the contract, as the simulator serves it."""
    # The document is made from the routes and models alone: no pool is needed. A real unopened one
    # would still ask asyncio for an event loop, which a sync caller after an async test may not have.
    document: dict[str, Any] = create_app(cast(asyncpg.Pool, None)).openapi()
    return document


def contract_text() -> str:
    """The document as the file stores it."""
    return json.dumps(contract(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else CONTRACT_FILE
    target.write_text(contract_text(), encoding="utf-8")
    print(f"wrote {target}")
