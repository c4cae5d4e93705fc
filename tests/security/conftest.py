"""The API fixtures of tests/api (the app on the real stack, keys of two establishments and an operator)."""

from tests.api.conftest import api_context, app, http, keys

__all__ = ["api_context", "app", "http", "keys"]
