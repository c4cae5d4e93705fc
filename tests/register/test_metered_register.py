"""Every call to the register is timed by operation and outcome, and its error reaches the caller unchanged."""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from register.metered import REGISTER_CALLS, MeteredRegister
from register.remote import RegisterUnavailable, RemoteRegister
from workers.embedded import free_port
from workers.metrics import runtime_with_metrics


def _counts(port: int) -> dict[tuple[str, str], float]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    return {
        (sample.labels["operation"], sample.labels["outcome"]): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == f"{REGISTER_CALLS}_count"
    }


async def test_a_register_that_does_not_answer_is_counted_as_an_error_and_the_error_passed_on() -> None:
    port = free_port()
    runtime = runtime_with_metrics("127.0.0.1", port)  # kept: the exporter lives as long as its runtime
    # Nothing listens on this port: every request is refused, as when the register's gateway is down.
    metered = MeteredRegister(RemoteRegister(f"http://127.0.0.1:{free_port()}"), runtime.metric_meter)
    try:
        with pytest.raises(RegisterUnavailable):
            await metered.document_holders("N0000001")
    finally:
        await metered.aclose()

    assert _counts(port) == {("document_holders", "error"): 1}
