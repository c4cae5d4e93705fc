"""The typed client: models back, typed errors from problem details, pages followed."""

from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from iin_client import (
    ApplicationConflict,
    Forbidden,
    IinClient,
    IntakeRejected,
    NotFound,
    Unauthorized,
    UpdateRejected,
)
from iin_models.enums import ApplicationState
from iin_models.review import Withdrawal
from iin_models.status import ApplicationStatus
from tests.factories import make_applicant, make_application
from tests.toolkit.api import Keys


async def _finished(iin: IinClient, application_id: object) -> ApplicationStatus:
    states = [status async for status in iin.follow(application_id)]  # type: ignore[arg-type]
    return states[-1]


async def test_submit_then_follow_to_the_certificate(iin: IinClient) -> None:
    application = make_application()
    submission = await iin.submit(application)
    final = await _finished(iin, application.application_id)
    assert submission.created and final.state is ApplicationState.CERTIFICATE_ISSUED


async def test_submitting_again_is_not_a_new_application(iin: IinClient) -> None:
    application = make_application()
    await iin.submit(application)
    again = await iin.submit(application)
    assert not again.created and again.application.application_id == application.application_id


async def test_another_body_under_the_same_id_raises_a_conflict(iin: IinClient) -> None:
    application = make_application()
    await iin.submit(application)
    with pytest.raises(ApplicationConflict) as raised:
        await iin.submit(application.model_copy(update={"applicant": make_applicant()}))
    assert raised.value.status == 409


async def test_an_unknown_application_raises_not_found(iin: IinClient) -> None:
    with pytest.raises(NotFound):
        await iin.status(uuid4())


async def test_an_intake_refusal_raises_intake_rejected_with_the_field(app: FastAPI, keys: Keys) -> None:
    async with IinClient("http://api.test", keys.operator, transport=httpx.ASGITransport(app=app)) as operator:
        with pytest.raises(IntakeRejected) as raised:
            await operator.submit(make_application(establishment_id="emb-xx-nowhere"))
    assert raised.value.problem.errors[0].field == "establishment_id"


async def test_submitting_for_another_establishment_raises_forbidden(iin: IinClient) -> None:
    with pytest.raises(Forbidden):
        await iin.submit(make_application(establishment_id="emb-cn-beijing"))


async def test_a_bad_key_raises_unauthorized(app: FastAPI) -> None:
    async with IinClient("http://api.test", "iin_wrong", transport=httpx.ASGITransport(app=app)) as stranger:
        with pytest.raises(Unauthorized):
            await stranger.list_applications()


async def test_withdrawing_a_finished_application_raises_update_rejected(iin: IinClient) -> None:
    application = make_application()
    await iin.submit(application)
    await _finished(iin, application.application_id)
    with pytest.raises(UpdateRejected):
        await iin.withdraw(application.application_id, Withdrawal(requested_by="officer-17", reason="changed mind"))


async def test_iterating_follows_every_page(iin: IinClient) -> None:
    applications = [make_application() for _ in range(3)]
    for application in applications:
        await iin.submit(application)
    seen = [item.application_id async for item in iin.iter_applications(limit=1)]
    assert {a.application_id for a in applications} <= set(seen) and len(seen) == len(set(seen))


async def test_the_certificate_is_verified_by_number(iin: IinClient) -> None:
    application = make_application()
    await iin.submit(application)
    final = await _finished(iin, application.application_id)
    assert final.certificate_number is not None
    verification = await iin.verify_certificate(final.certificate_number)
    pdf = await iin.certificate_pdf(final.certificate_number)
    assert verification.valid and pdf.startswith(b"%PDF")


async def test_health_and_readiness(iin: IinClient) -> None:
    assert ((await iin.health()).status, (await iin.ready()).status) == ("ok", "ok")
