"""Encryption fails closed: without codec keys nothing connects to Temporal unless plain JSON is allowed."""

import pytest

from codec.aesgcm import AesGcmCodec
from config.settings import Settings
from tests.toolkit.commands import run_iin
from workers.connect import EncryptionNotConfigured, data_converter, reading_converter


@pytest.fixture
def without_keys(cli_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A stack's addresses (never reached), no codec keys, no local key file, plain JSON not allowed."""
    for name in ("CODEC_KEYS", "CODEC_KEY_FILE", "CODEC_ALLOW_PLAINTEXT"):
        cli_env.delenv(name, raising=False)
    cli_env.setenv("DATABASE_URL", "postgresql://iin@127.0.0.1:1/iin")
    cli_env.setenv("TEMPORAL_ADDRESS", "127.0.0.1:1")
    cli_env.setenv("WORKER_METRICS_PORT", "0")
    cli_env.setenv("WORKER_HEALTH_PORT", "0")
    return cli_env


async def test_the_worker_refuses_to_start_without_codec_keys(without_keys: pytest.MonkeyPatch) -> None:
    result = await run_iin("worker")

    assert result.exit_code == 2, result.output
    assert "CODEC_KEYS" in result.output


async def test_the_api_refuses_to_start_without_codec_keys(without_keys: pytest.MonkeyPatch) -> None:
    result = await run_iin("api")

    assert result.exit_code == 2, result.output
    assert "CODEC_KEYS" in result.output


def test_no_converter_is_built_without_keys_or_the_development_setting(without_keys: pytest.MonkeyPatch) -> None:
    with pytest.raises(EncryptionNotConfigured, match="CODEC_ALLOW_PLAINTEXT"):
        data_converter(Settings())


def test_the_development_setting_allows_plain_payloads(without_keys: pytest.MonkeyPatch) -> None:
    without_keys.setenv("CODEC_ALLOW_PLAINTEXT", "true")

    assert data_converter(Settings()).payload_codec is None


def test_with_keys_the_converter_refuses_plain_payloads(without_keys: pytest.MonkeyPatch) -> None:
    without_keys.setenv("CODEC_KEYS", "k1:" + "A" * 43 + "=")

    codec = data_converter(Settings()).payload_codec

    assert isinstance(codec, AesGcmCodec) and not codec.accepts_plaintext


def test_the_replay_tools_read_plain_histories_with_keys(without_keys: pytest.MonkeyPatch) -> None:
    without_keys.setenv("CODEC_KEYS", "k1:" + "A" * 43 + "=")

    codec = reading_converter(Settings()).payload_codec

    assert isinstance(codec, AesGcmCodec) and codec.accepts_plaintext
