"""Certificates and notices are rendered before the step's lock, yet issued once: a retry gets the first one."""

import asyncio

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.certificates import CertificateActivities
from activities.iin import IinActivities
from activities.notices import NoticeActivities
from clock import SYSTEM_CLOCK
from db.applications import open_application
from iin_models.decisions import Finding
from iin_models.enums import RejectionReason
from register.embedded import EmbeddedRegister
from schemas.contract import ApplicationInput, CertificateRequest
from schemas.notices import RejectionNoticeRequest
from service.intake import resolve
from tests.factories import make_application


async def opened(pool: asyncpg.Pool) -> ApplicationInput:
    data = await resolve(pool, make_application(), now=SYSTEM_CLOCK.now())
    async with pool.acquire() as conn:
        await open_application(conn, data)
    return data


async def test_a_retry_racing_the_first_attempt_gets_the_first_certificate(pool: asyncpg.Pool) -> None:
    data = await opened(pool)
    formed = await ActivityEnvironment().run(IinActivities(pool, EmbeddedRegister(pool)).form_iin, data)
    assert formed.iin is not None
    request = CertificateRequest(data=data, iin=formed.iin)
    activities = CertificateActivities(pool, "https://iin.example")

    # Both render their own PDF first; the step's lock lets one store it, the other returns that one.
    first, retried = await asyncio.gather(
        *(ActivityEnvironment().run(activities.issue_certificate, request) for _ in range(2))
    )
    again = await ActivityEnvironment().run(activities.issue_certificate, request)

    assert retried == first and again == first
    rows = await pool.fetch(
        "SELECT number, sha256 FROM certificates WHERE application_id = $1", data.application.application_id
    )
    assert [(r["number"], r["sha256"]) for r in rows] == [(first.number, first.sha256)]


async def test_a_retried_rejection_notice_returns_the_first_notice(pool: asyncpg.Pool) -> None:
    data = await opened(pool)
    finding = Finding(
        reason=RejectionReason.REQUIREMENTS_NOT_MET,
        code="citizen_of_kazakhstan",
        field="applicant.citizenship",
        message="not a foreigner",
    )
    request = RejectionNoticeRequest(data=data, findings=(finding,), rejected_at=SYSTEM_CLOCK.now())
    activities = NoticeActivities(pool)

    first = await ActivityEnvironment().run(activities.issue_rejection_notice, request)
    retried = await ActivityEnvironment().run(activities.issue_rejection_notice, request)

    assert retried == first
    rows = await pool.fetch(
        "SELECT number, sha256 FROM rejection_notices WHERE application_id = $1", data.application.application_id
    )
    assert [(r["number"], r["sha256"]) for r in rows] == [(first.number, first.sha256)]
