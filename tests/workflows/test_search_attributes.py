"""Operators filter the Web UI by state, establishment, country, citizenship, deadline and reasons."""

from datetime import timedelta

import asyncpg
from temporalio.client import Client, WorkflowExecution

from clock import SYSTEM_CLOCK
from schemas.contract import workflow_id
from service.intake import submit
from tests.factories import make_applicant, make_application
from tests.toolkit.waiting import eventually


async def listed(client: Client, query: str) -> list[WorkflowExecution]:
    return [execution async for execution in client.list_workflows(query)]


async def test_issued_application_is_found_by_state_establishment_and_country(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application(establishment_id="cg-tr-istanbul")
    await (await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())).handle.result()
    wanted = workflow_id(application.application_id)

    found = await eventually(
        lambda: listed(
            client,
            "IinState = 'certificate_issued' AND EstablishmentId = 'cg-tr-istanbul' AND EstablishmentCountry = 'TR'"
            f" AND WorkflowId = '{wanted}'",
        ),
        lambda executions: len(executions) == 1,
    )

    assert found[0].id == wanted


async def test_rejected_application_is_found_by_its_reason_and_citizenship(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application(applicant=make_applicant(citizenship="KZ"))
    await (await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())).handle.result()
    wanted = workflow_id(application.application_id)

    found = await eventually(
        lambda: listed(
            client,
            "RejectionReasons = 'requirements_not_met' AND Citizenship = 'KZ' AND DeadlineBreached = false"
            f" AND WorkflowId = '{wanted}'",
        ),
        lambda executions: len(executions) == 1,
    )

    assert found[0].typed_search_attributes is not None


async def test_application_carries_its_deadline_for_sorting_and_filtering(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application()
    submitted = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    await submitted.handle.result()
    due = submitted.input.deadline.due_at
    since, until = ((due + timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ") for s in (-1, 1))

    found = await eventually(
        lambda: listed(client, f"IinDeadline BETWEEN '{since}' AND '{until}' AND WorkflowId = '{submitted.handle.id}'"),
        lambda executions: len(executions) == 1,
    )

    assert found[0].id == submitted.handle.id
