"""A traced stack: the API, a client and a worker sharing one tracer provider that records in memory.

Built as the processes build theirs (observability/tracing.py), with the provider handed in, never set
as the global one, so each test's spans are its own. Fixtures for tests/observability.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest_asyncio
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from config.settings import get_settings
from observability.tracing import temporal_interceptors
from tests.toolkit.api import LOCAL_WEBHOOKS
from workers.worker import build_worker


@dataclass(frozen=True)
class TracedStack:
    """Plain HTTP to a traced API whose worker is traced too, and what their spans went to."""

    http: httpx.AsyncClient
    spans: InMemorySpanExporter
    provider: TracerProvider


@pytest_asyncio.fixture
async def traced_stack(client: Client, service_pool: asyncpg.Pool) -> AsyncIterator[TracedStack]:
    """The API and a worker on a task queue of the test's own, traced to memory (each span as it ends)."""
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    traced = Client(**(client.config() | {"interceptors": temporal_interceptors(provider)}))
    queue = f"iin-test-{uuid.uuid4()}"
    context = ApiContext(
        client=traced,
        pool=service_pool,
        task_queue=queue,
        public_base_url=get_settings().public_base_url,
        webhooks=LOCAL_WEBHOOKS,
        tracer_provider=provider,
    )
    transport = httpx.ASGITransport(app=create_app(context), raise_app_exceptions=False)
    async with (
        build_worker(traced, service_pool, queue),
        httpx.AsyncClient(transport=transport, base_url="http://api.test") as http,
    ):
        yield TracedStack(http=http, spans=spans, provider=provider)
    provider.shutdown()
