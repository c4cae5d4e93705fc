"""What an operator reads in the Web UI without opening payloads: summary, details, step summaries."""

import asyncpg
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from service.intake import submit
from tests.factories import make_application


async def test_execution_carries_a_summary_and_details_without_personal_data(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application()
    submitted = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    await submitted.handle.result()

    description = await submitted.handle.describe()
    summary, details = await description.static_summary(), await description.static_details()

    assert summary == f"IIN application {application.application_id}"
    assert details is not None and "emb-tr-ankara" in details and "Due: end of" in details
    assert application.applicant.surname not in f"{summary}{details}"


async def test_current_details_show_the_state_and_the_certificate(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application()
    submitted = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    status = await submitted.handle.result()

    metadata = await submitted.handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)

    assert "certificate_issued" in metadata.current_details
    assert str(status.certificate_number) in metadata.current_details
    assert application.applicant.surname not in metadata.current_details


async def test_each_step_has_a_summary_in_the_history(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    submitted = await submit(client, pool, make_application(), task_queue, now=SYSTEM_CLOCK.now())
    await submitted.handle.result()

    history = await submitted.handle.fetch_history()
    summaries = [
        (await client.data_converter.decode([e.user_metadata.summary]))[0]
        for e in history.events
        if e.HasField("user_metadata") and e.user_metadata.HasField("summary")
    ]

    assert {
        "open the application and check it",
        "look for the foreigner in the national register and form the IIN",
        "issue the registration certificate",
    } <= set(summaries)
