"""The data converter every client and worker of the service uses: pydantic JSON, sealed by the codec."""

import dataclasses

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from codec.aesgcm import AesGcmCodec
from codec.keys import KeyRing


def build_data_converter(ring: KeyRing | None, *, accept_plaintext: bool = False) -> DataConverter:
    """Pydantic payloads, encrypted with `ring` when given.

    Failure messages and stack traces are encoded too (they can quote application data), so
    with a ring the history holds no readable personal data at all. With a ring, payloads not
    sealed are refused unless `accept_plaintext` (tools that only read histories; `AesGcmCodec`).
    """
    if ring is None:
        return pydantic_data_converter
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=AesGcmCodec(ring, accept_plaintext=accept_plaintext),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
