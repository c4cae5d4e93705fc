"""The workflow sandbox the worker, the replayer and the tests run: the SDK's, with one cost taken out.

Encoding a workflow task's commands, temporalio asks the workflow instance which serialization context
each payload sequence belongs to (the workflow's, or the activity's it schedules). The SDK's sandbox
answers each question by compiling and `exec`-ing a two-line string inside the sandbox with its import
hooks applied: 68 µs a call, 33 calls and about 2.2 ms of worker CPU per application
(docs/performance.md, "Issue 21, third round"). The answer only reads the instance's own state (its
info, its pending activities) and builds temporalio's context dataclasses, which the sandbox passes
through, so no import or restricted call happens on the way: this runner asks the sandboxed instance
directly. Activations still run as the SDK runs them, every guard applied.

It leans on the sandbox's private `_Instance` (temporalio 1.35), so tests/workers/test_sandbox.py runs
real workflows under it and the SDK's runner and compares the contexts each payload was encoded with.
"""

from typing import Any

from temporalio.converter import SerializationContext
from temporalio.converter._extstore import StorageDriverStoreContext
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails
from temporalio.worker._command_aware_visitor import CommandInfo
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner
from temporalio.worker.workflow_sandbox._runner import _Instance


class _DirectlyAskedInstance(_Instance):
    """A sandboxed instance whose serialization and store contexts are read without `exec`."""

    def _in_sandbox(self) -> Any:
        # The object _Instance created in the sandbox's globals when it started the workflow.
        return self.globals_and_locals["__temporal_in_sandbox"]

    def get_serialization_context(self, command_info: CommandInfo | None) -> SerializationContext | None:
        """The context the SDK's sandbox would answer, asked of the sandboxed instance directly."""
        context: SerializationContext | None = self._in_sandbox().get_serialization_context(command_info)
        return context

    def get_external_store_context(self, command_info: CommandInfo | None) -> StorageDriverStoreContext:
        """The external-storage context the SDK's sandbox would answer, asked directly."""
        context: StorageDriverStoreContext = self._in_sandbox().get_external_store_context(command_info)
        return context


class DirectContextSandboxedRunner(SandboxedWorkflowRunner):
    """The SDK's sandboxed runner, whose instances answer serialization contexts without `exec`."""

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        """Implements WorkflowRunner.create_instance with the instance above."""
        return _DirectlyAskedInstance(det, self.runner_class, self.restrictions)
