"""The typed client against the API on the real stack (the fixtures of tests/api)."""

from tests.api.conftest import api_context, app, iin, keys

__all__ = ["api_context", "app", "iin", "keys"]
