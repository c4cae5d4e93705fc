"""The OpenAPI document, built from the routes alone: what `make openapi` writes to docs/openapi.json.

The committed file is the contract backend services build on; tests/api/test_contract.py fails when
the served document differs from it, so every change to the contract is a reviewed diff.
"""

import json
import sys
from pathlib import Path
from typing import Any, cast

from api.app import create_app
from api.context import ApiContext

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def document() -> dict[str, Any]:
    """The document the API serves at /openapi.json; no PostgreSQL or Temporal needed to build it."""
    # The routes are built around a context they only use when they serve: no connection is made here.
    offline = ApiContext(client=cast(Any, None), pool=cast(Any, None), task_queue="", public_base_url="")
    return create_app(offline).openapi()


def render(schema: dict[str, Any]) -> str:
    """The file's text: indented, non-ASCII escaped (the patterns hold control characters), one newline."""
    return json.dumps(schema, indent=2) + "\n"


def main() -> None:
    """Write the document to the path given (docs/openapi.json by default)."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else COMMITTED
    target.write_text(render(document()), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
