"""The audit timeline, decoded from an application's history."""

import asyncpg
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from history.timeline import timeline
from service.intake import submit
from tests.factories import make_applicant, make_application


async def test_timeline_of_an_issued_application_reads_from_submission_to_certificate(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    submitted = await submit(client, pool, make_application(), task_queue, now=SYSTEM_CLOCK.now())
    status = await submitted.handle.result()

    entries = await timeline(await submitted.handle.fetch_history(), client.data_converter)

    events = [e.event for e in entries]
    assert events[0] == "submitted" and events[-1] == "ended certificate_issued"
    asked = entries[events.index("step check_and_form_iin")]
    formed = asked.detail["result"]["formed"]
    assert formed == {"iin": status.iin, "findings": [], "decided_at": formed["decided_at"]}
    assert asked.detail["result"]["duplicates"]["findings"] == [] and asked.detail["attempt"] == 1
    assert entries[0].detail["establishment"] == "emb-tr-ankara"
    assert entries[0].detail["due_date"] == submitted.input.deadline.due_date.isoformat()
    assert entries[-1].detail["iin"] == status.iin


async def test_timeline_of_a_rejection_names_the_findings(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    submitted = await submit(
        client, pool, make_application(applicant=make_applicant(citizenship="KZ")), task_queue, now=SYSTEM_CLOCK.now()
    )
    await submitted.handle.result()

    entries = await timeline(await submitted.handle.fetch_history(), client.data_converter)

    assert entries[-1].event == "ended rejected"
    assert entries[-1].detail["rejection_reasons"] == ["requirements_not_met"]
    assert entries[-1].detail["findings"][0]["code"] == "not_a_foreigner"
