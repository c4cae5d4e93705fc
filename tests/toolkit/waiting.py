"""Waiting for a condition instead of sleeping: `eventually`, and the updates a client sent reaching the server."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.update.v1 import UpdateRef
from temporalio.api.workflowservice.v1 import PollWorkflowExecutionUpdateRequest
from temporalio.client import (
    Client,
    Interceptor,
    OutboundInterceptor,
    StartWorkflowUpdateInput,
    WorkflowUpdateHandle,
)
from temporalio.service import RPCError, RPCStatusCode

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], *, within: float = 15.0, every: float = 0.05
) -> T:
    """Call `probe` until `accept` holds for its result; fail with the last result after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        value = await probe()
        if accept(value):
            return value
        if loop.time() > deadline:
            raise AssertionError(f"not accepted within {within} s; last value: {value!r}")
        await asyncio.sleep(every)


async def update_admitted(client: Client, workflow_id: str, update_id: str) -> bool:
    """Whether the server holds the update, whatever its stage: admitted, accepted or completed.

    An update the workflow has not seen yet (no worker polled since it arrived) lives only in the
    server's update registry, with no event in the history; asking for its outcome without a wait
    policy answers at once, and NOT_FOUND until the update is there.
    """
    request = PollWorkflowExecutionUpdateRequest(
        namespace=client.namespace,
        update_ref=UpdateRef(workflow_execution=WorkflowExecution(workflow_id=workflow_id), update_id=update_id),
    )
    try:
        await client.workflow_service.poll_workflow_execution_update(request)
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


class SentUpdates(Interceptor):
    """A client interceptor that names every update it sends, so a test can wait for it at the server.

    Code under test (the API) sends updates without ids of its own; the SDK would pick one at random
    deep inside, where a test cannot see it. This picks it one step earlier and keeps it.
    """

    def __init__(self) -> None:
        self._sent: asyncio.Queue[tuple[str, str]] = asyncio.Queue()

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        """Wrap the client's calls (temporalio.client.Interceptor)."""
        return _Naming(next, self._sent)

    def client(self, client: Client) -> Client:
        """A client like `client` (same connection), whose updates this records."""
        config = client.config()
        config["interceptors"] = [*config["interceptors"], self]
        return Client(**config)

    async def admitted(self, client: Client, *, within: float = 15.0) -> str:
        """Wait for the next update sent to be held by the server; its id."""
        workflow_id, update_id = await asyncio.wait_for(self._sent.get(), timeout=within)
        await eventually(lambda: update_admitted(client, workflow_id, update_id), bool, within=within)
        return update_id


class _Naming(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, sent: asyncio.Queue[tuple[str, str]]) -> None:
        super().__init__(next)
        self._sent = sent

    async def start_workflow_update(self, input: StartWorkflowUpdateInput) -> WorkflowUpdateHandle[Any]:
        input.update_id = input.update_id or str(uuid.uuid4())
        self._sent.put_nowait((input.id, input.update_id))
        return await super().start_workflow_update(input)
