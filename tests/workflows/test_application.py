"""The application workflow end to end: real worker, real PostgreSQL, time-skipping Temporal."""

from datetime import timedelta

import asyncpg
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from db.applications import find_status
from iin_models.enums import ApplicationState, Certification, RejectionReason
from rules.iin import is_valid_iin
from service.intake import submit
from tests.factories import make_applicant, make_application, make_document, make_translation


async def test_application_with_valid_documents_ends_with_a_certificate(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application()
    submitted = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    status = await submitted.handle.result()

    assert status.state is ApplicationState.CERTIFICATE_ISSUED
    assert [t.state for t in status.transitions] == [
        ApplicationState.SUBMITTED,
        ApplicationState.DOCUMENTS_VERIFIED,
        ApplicationState.IIN_FORMED,
        ApplicationState.CERTIFICATE_ISSUED,
    ]
    assert status.iin is not None and is_valid_iin(status.iin)
    assert status.iin.startswith(application.applicant.birth_date.strftime("%y%m%d"))
    assert status.certificate_number is not None and status.certificate_sha256 is not None
    assert not status.breached


async def test_projection_mirrors_every_transition(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    submitted = await submit(client, pool, make_application(), task_queue, now=SYSTEM_CLOCK.now())
    status = await submitted.handle.result()

    async with pool.acquire() as conn:
        projected = await find_status(conn, status.application_id)
    assert projected is not None
    assert projected.state is ApplicationState.CERTIFICATE_ISSUED
    assert [t.state for t in projected.transitions] == [t.state for t in status.transitions]
    assert projected.iin == status.iin
    assert projected.certificate_sha256 == status.certificate_sha256


async def test_expired_document_is_rejected_as_unreliable(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    document = make_document(
        issued_on=SYSTEM_CLOCK.now().date() - timedelta(days=4000),
        expires_on=SYSTEM_CLOCK.now().date() - timedelta(days=1),
    )
    status = await (
        await submit(client, pool, make_application(document=document), task_queue, now=SYSTEM_CLOCK.now())
    ).handle.result()

    assert status.state is ApplicationState.REJECTED
    assert status.rejection_reasons == [RejectionReason.DOCUMENTS_UNRELIABLE]
    assert [(f.code, f.field) for f in status.findings] == [("document_expired", "document.expires_on")]
    assert status.iin is None


async def test_non_latin_document_without_apostille_is_rejected(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application(
        document=make_document(issuing_state="CN", particulars_in_latin_or_cyrillic=False),
        translation=make_translation(certification=Certification.NONE, certified_on=None),
    )
    status = await (await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())).handle.result()

    assert status.state is ApplicationState.REJECTED
    assert [(f.code, f.field) for f in status.findings] == [("certification_missing", "translation.certification")]


async def test_kazakh_citizen_is_rejected_as_requirements_not_met(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application(applicant=make_applicant(citizenship="KZ"))
    status = await (await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())).handle.result()

    assert status.state is ApplicationState.REJECTED
    assert status.rejection_reasons == [RejectionReason.REQUIREMENTS_NOT_MET]
    assert status.findings[0].field == "applicant.citizenship"


async def test_person_with_an_iin_is_rejected_as_already_registered(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    first = make_application()
    assert (
        await (await submit(client, pool, first, task_queue, now=SYSTEM_CLOCK.now())).handle.result()
    ).iin is not None
    renewed_passport = make_document(number="R" + first.document.number[1:])
    again = make_application(applicant=first.applicant, document=renewed_passport)

    status = await (await submit(client, pool, again, task_queue, now=SYSTEM_CLOCK.now())).handle.result()

    assert status.state is ApplicationState.REJECTED
    assert status.rejection_reasons == [RejectionReason.ALREADY_REGISTERED]
    assert status.findings[0].code == "registered_by_identity"


async def test_submitting_twice_runs_one_workflow(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    application = make_application()
    first = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    second = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    status = await first.handle.result()
    third = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())  # after it ended

    assert second.handle.id == first.handle.id == third.handle.id
    assert (await second.handle.result()).iin == status.iin
    assert (await third.handle.result()).iin == status.iin
