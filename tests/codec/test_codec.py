"""The payload codec: sealed payloads, key rotation, and no personal data in a raw history."""

import base64
import uuid

import asyncpg
import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from codec.aesgcm import ENCODING, KEY_ID_METADATA, AesGcmCodec, CodecError
from codec.converter import build_data_converter
from codec.keys import KeyRing, KeyRingError, new_key_entry
from iin_models.enums import ApplicationState
from service.intake import submit
from tests.factories import make_application
from workers.worker import build_worker

PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"surname":"Ivanov"}')


def ring(*ids: str) -> KeyRing:
    return KeyRing.parse(",".join(new_key_entry(key_id) for key_id in ids))


async def test_sealed_payload_opens_to_the_original() -> None:
    codec = AesGcmCodec(ring("k1"))

    sealed = await codec.encode([PLAIN])

    assert sealed[0].metadata["encoding"] == ENCODING
    assert b"Ivanov" not in sealed[0].data
    assert await codec.decode(sealed) == [PLAIN]


async def test_sealed_payload_names_the_key_that_sealed_it() -> None:
    sealed = await AesGcmCodec(ring("2026-11", "2026-01")).encode([PLAIN])

    assert sealed[0].metadata[KEY_ID_METADATA] == b"2026-11"


async def test_payloads_sealed_before_a_rotation_still_open_after_it() -> None:
    old = ring("k1")
    sealed = await AesGcmCodec(old).encode([PLAIN])
    rotated = KeyRing.parse(f"{new_key_entry('k2')},k1:{base64.b64encode(old.keys['k1']).decode()}")

    codec = AesGcmCodec(rotated)

    assert await codec.decode(sealed) == [PLAIN]
    assert (await codec.encode([PLAIN]))[0].metadata[KEY_ID_METADATA] == b"k2"


async def test_payload_sealed_with_a_key_no_longer_held_is_refused() -> None:
    sealed = await AesGcmCodec(ring("k1")).encode([PLAIN])

    with pytest.raises(CodecError, match="unknown codec key 'k1'"):
        await AesGcmCodec(ring("k2")).decode(sealed)


async def test_altered_ciphertext_is_refused() -> None:
    codec = AesGcmCodec(ring("k1"))
    sealed = (await codec.encode([PLAIN]))[0]
    tampered = Payload(metadata=dict(sealed.metadata), data=sealed.data[:-1] + bytes([sealed.data[-1] ^ 1]))

    with pytest.raises(CodecError, match="failed authentication"):
        await codec.decode([tampered])


async def test_payload_relabelled_with_another_key_id_is_refused() -> None:
    keys = ring("k1", "k2")
    codec = AesGcmCodec(keys)
    sealed = (await codec.encode([PLAIN]))[0]
    relabelled = Payload(metadata={**sealed.metadata, KEY_ID_METADATA: b"k2"}, data=sealed.data)

    with pytest.raises(CodecError):
        await codec.decode([relabelled])


async def test_a_plain_payload_is_refused_by_a_codec_with_keys() -> None:
    with pytest.raises(CodecError, match="not sealed"):
        await AesGcmCodec(ring("k1")).decode([PLAIN])


async def test_a_codec_that_only_reads_histories_lets_plain_payloads_through() -> None:
    assert await AesGcmCodec(ring("k1"), accept_plaintext=True).decode([PLAIN]) == [PLAIN]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no codec key"),
        ("k1", "expected 'id:base64key'"),
        ("k1:not base64!", "not base64"),
        ("k1:" + "QUJD", "must be 32 bytes"),
    ],
)
def test_malformed_key_material_is_refused_saying_why(text: str, message: str) -> None:
    with pytest.raises(KeyRingError, match=message):
        KeyRing.parse(text)


def test_a_key_id_may_appear_only_once() -> None:
    entry = new_key_entry("k1")
    with pytest.raises(KeyRingError, match="appears twice"):
        KeyRing.parse(f"{entry},{entry}")


async def test_raw_history_holds_no_name_document_number_or_birth_date(
    dev_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    sealed_client = Client(
        dev_env.client.service_client,
        namespace=dev_env.client.namespace,
        data_converter=build_data_converter(ring("k1")),
    )
    queue = f"iin-test-{uuid.uuid4()}"
    application = make_application()
    async with build_worker(sealed_client, pool, queue):
        submitted = await submit(sealed_client, pool, application, queue, now=SYSTEM_CLOCK.now())
        status = await submitted.handle.result()
    assert status.state is ApplicationState.CERTIFICATE_ISSUED

    raw = dev_env.client.get_workflow_handle(submitted.handle.id)  # no codec: what the store holds
    history = (await raw.fetch_history()).to_json().encode()

    applicant, document = application.applicant, application.document
    for secret in (applicant.surname, applicant.given_names, document.number, applicant.birth_date.isoformat()):
        assert secret.encode() not in history
