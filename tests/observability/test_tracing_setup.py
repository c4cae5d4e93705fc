"""Tracing is off without a collector, exports to its traces URL with one, and leaves the histories replaying."""

from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from api.app import create_app
from api.context import ApiContext
from config.settings import Settings
from history.replay import from_files
from observability.tracing import (
    WORKER_SERVICE,
    build_tracer_provider,
    shutdown_tracing,
    temporal_interceptors,
    traces_endpoint,
)
from workers.worker import SANDBOXED_RUNNER
from workflows.application import IINApplicationWorkflow

HISTORIES = sorted((Path(__file__).parents[1] / "histories").glob("*.json"))


def test_without_an_endpoint_no_provider_interceptor_or_instrumentation_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    provider = build_tracer_provider(Settings(_env_file=None), WORKER_SERVICE)

    assert provider is None
    assert temporal_interceptors(provider) == []
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)  # the global stays the no-op proxy


def test_without_an_endpoint_the_api_gets_no_server_spans() -> None:
    app = create_app(ApiContext(client=None, pool=None, task_queue="q", public_base_url="http://x"))  # type: ignore[arg-type]

    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)


def test_with_an_endpoint_the_provider_names_the_process_as_its_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    provider = build_tracer_provider(Settings(_env_file=None), WORKER_SERVICE)

    assert provider is not None
    assert provider.resource.attributes["service.name"] == WORKER_SERVICE
    shutdown_tracing(provider)


def test_spans_go_to_the_traces_path_under_the_endpoint_as_the_sdk_derives_it() -> None:
    assert traces_endpoint("http://collector:4318/") == "http://collector:4318/v1/traces"


async def test_stored_histories_replay_with_the_tracing_interceptor_and_make_no_spans() -> None:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    replayer = Replayer(
        workflows=[IINApplicationWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=SANDBOXED_RUNNER,
        interceptors=temporal_interceptors(provider),
    )

    async with replayer.workflow_replay_iterator(from_files(HISTORIES)) as results:
        failures = [result.history.workflow_id async for result in results if result.replay_failure is not None]

    assert failures == []
    assert spans.get_finished_spans() == ()
