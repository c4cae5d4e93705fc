"""OpenTelemetry traces: one provider per process, exported over OTLP, or none at all.

Tracing is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then no provider exists, no interceptor is
added to the Temporal client and the API is not instrumented, so a process that does not export pays
nothing. When it is on, one trace follows an application from the API's POST through the workflow's
start, its run and every activity (temporalio's TracingInterceptor carries the context in Temporal's
headers; the workflow's spans are created only when it is not replaying, so histories are unchanged).

The provider is handed to whoever needs it rather than installed as the global one: the global can be
set only once per process, and the tests build several, each with an exporter of its own.
"""

from fastapi import FastAPI
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from temporalio.contrib.opentelemetry import TracingInterceptor

from config.settings import Settings

# service.name of each kind of process; `iin up` serves the API in its own process (iin-stack) and runs
# each worker as an `iin worker` child (iin-worker).
API_SERVICE = "iin-api"
WORKER_SERVICE = "iin-worker"
STACK_SERVICE = "iin-stack"
TRACER_NAME = "iin"
# Probes are polled every few seconds by the orchestrator: spans of them would drown the applications'.
UNTRACED_PATHS = "/healthz,/readyz"


def traces_endpoint(base: str) -> str:
    """The OTLP/HTTP traces URL under a base endpoint, as the SDK derives it from the variable itself."""
    return base.rstrip("/") + "/v1/traces"


def build_tracer_provider(settings: Settings, service_name: str) -> TracerProvider | None:
    """A provider exporting in batches to OTEL_EXPORTER_OTLP_ENDPOINT, or None when it is unset.

    The exporter reads the other standard variables itself (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT,
    _CERTIFICATE, ...) and the provider the sampler's (OTEL_TRACES_SAMPLER); OTEL_RESOURCE_ATTRIBUTES
    adds to the resource, whose service.name is the process's own.
    """
    if not settings.otel_exporter_otlp_endpoint:
        return None
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    exporter = OTLPSpanExporter(endpoint=traces_endpoint(settings.otel_exporter_otlp_endpoint))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def temporal_interceptors(provider: TracerProvider | None) -> list[TracingInterceptor]:
    """The interceptors that trace workflow starts on a client, and runs and activities on its workers."""
    if provider is None:
        return []
    return [TracingInterceptor(provider.get_tracer(TRACER_NAME))]


def instrument_api(app: FastAPI, provider: TracerProvider | None) -> None:
    """Give every request to `app` a server span, the parent of the workflow start it causes."""
    if provider is not None:
        # One span per request: the ASGI layer's spans of each message received and sent say nothing more.
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=provider, excluded_urls=UNTRACED_PATHS, exclude_spans=["receive", "send"]
        )


def shutdown_tracing(provider: TracerProvider | None) -> None:
    """Export what is still batched and stop: at the end of the process, or its last spans are lost."""
    if provider is not None:
        provider.shutdown()
