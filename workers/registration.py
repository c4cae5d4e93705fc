"""Preparing a namespace for the service, idempotently: its retention and the custom search attributes."""

import asyncio
from datetime import timedelta
from typing import Literal

from google.protobuf.duration_pb2 import Duration
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.namespace.v1 import NamespaceConfig
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import (
    DescribeNamespaceRequest,
    RegisterNamespaceRequest,
    UpdateNamespaceRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from workflows.search_attributes import ALL_KEYS

NamespaceChange = Literal["created", "updated", "unchanged"]


async def register_search_attributes(client: Client, namespace: str) -> list[str]:
    """Add the service's search attributes that the namespace lacks; return the names added."""
    existing = await client.operator_service.list_search_attributes(ListSearchAttributesRequest(namespace=namespace))
    missing = {
        key.name: IndexedValueType.ValueType(key.indexed_value_type.value)
        for key in ALL_KEYS
        if key.name not in existing.custom_attributes
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
    return sorted(missing)


async def ensure_namespace(client: Client, namespace: str, retention: timedelta) -> NamespaceChange:
    """Create `namespace` keeping closed workflows for `retention`, or set that retention on it."""
    ttl = Duration()
    ttl.FromTimedelta(retention)
    try:
        described = await client.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=namespace))
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
        await client.workflow_service.register_namespace(
            RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=ttl)
        )
        return "created"
    if described.config.workflow_execution_retention_ttl == ttl:
        return "unchanged"
    await client.workflow_service.update_namespace(
        UpdateNamespaceRequest(namespace=namespace, config=NamespaceConfig(workflow_execution_retention_ttl=ttl))
    )
    return "updated"


async def prepare_namespace(
    client: Client, namespace: str, retention: timedelta | None, *, within: float = 60.0
) -> tuple[NamespaceChange | None, list[str]]:
    """Retention (unless None: a namespace managed elsewhere, as on Temporal Cloud), then search attributes.

    A namespace just created reaches every frontend only after the server's namespace cache refresh
    (about 10 s), so adding attributes is retried until then.
    """
    change = await ensure_namespace(client, namespace, retention) if retention is not None else None
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            return change, await register_search_attributes(client, namespace)
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND or asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(1.0)
