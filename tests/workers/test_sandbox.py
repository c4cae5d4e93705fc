"""The worker's sandbox answers each payload's serialization context as the SDK's own sandbox does."""

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Self

from temporalio import activity, workflow
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import (
    ActivitySerializationContext,
    DataConverter,
    PayloadCodec,
    SerializationContext,
    WithSerializationContext,
)
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

with workflow.unsafe.imports_passed_through():
    from workers.worker import SANDBOXED_RUNNER


@dataclasses.dataclass
class ContextRecordingCodec(PayloadCodec, WithSerializationContext):
    """Passes payloads through, noting the context each sequence was encoded in."""

    seen: list[str]
    context: SerializationContext | None = None

    def with_context(self, context: SerializationContext) -> Self:
        return dataclasses.replace(self, context=context)

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        if isinstance(self.context, ActivitySerializationContext):
            local = "local " if self.context.is_local else ""
            self.seen.append(f"{local}activity {self.context.activity_type} of {self.context.workflow_id}")
        elif self.context is not None:
            self.seen.append(f"{type(self.context).__name__} of {getattr(self.context, 'workflow_id', None)}")
        else:
            self.seen.append("no context")
        return list(payloads)

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return list(payloads)


@activity.defn
async def shout(text: str) -> str:
    return text.upper()


@workflow.defn(name="ContextProbe")
class ContextProbe:
    @workflow.run
    async def run(self, text: str) -> str:
        once = await workflow.execute_activity(shout, text, start_to_close_timeout=timedelta(seconds=10))
        return await workflow.execute_local_activity(shout, once + "!", start_to_close_timeout=timedelta(seconds=10))


async def contexts_under(env: WorkflowEnvironment, runner: WorkflowRunner) -> list[str]:
    """The contexts the payloads of one ContextProbe run were encoded in, worker and client alike."""
    seen: list[str] = []
    converter = dataclasses.replace(DataConverter.default, payload_codec=ContextRecordingCodec(seen))
    config = env.client.config()
    config["data_converter"] = converter
    client = Client(**config)
    queue = f"sandbox-{uuid.uuid4()}"
    async with Worker(client, task_queue=queue, workflows=[ContextProbe], activities=[shout], workflow_runner=runner):
        result = await client.execute_workflow(ContextProbe.run, "hi", id="context-probe", task_queue=queue)
    assert result == "HI!"
    return seen


async def test_payloads_are_encoded_in_the_contexts_the_sdk_s_sandbox_gives(workflow_env: WorkflowEnvironment) -> None:
    ours = await contexts_under(workflow_env, SANDBOXED_RUNNER)

    assert ours == await contexts_under(workflow_env, SandboxedWorkflowRunner())
    assert "activity shout of context-probe" in ours
    assert "local activity shout of context-probe" in ours
