"""The register the settings name: remote at REGISTER_URL, or embedded in the service's database."""

import asyncpg

from config.settings import Settings
from register.embedded import EmbeddedRegister
from register.port import NationalRegister
from register.remote import RemoteRegister, tls_context


def configured_register(settings: Settings, pool: asyncpg.Pool) -> NationalRegister:
    """The national register this process talks to; the caller closes it (`aclose`) when done."""
    if settings.register_url is None:
        return EmbeddedRegister(pool)
    verify = tls_context(settings.register_ca_file, settings.register_client_cert, settings.register_client_key)
    token = settings.register_token.get_secret_value() if settings.register_token else None
    return RemoteRegister(settings.register_url, token=token, timeout=settings.register_timeout_seconds, verify=verify)
