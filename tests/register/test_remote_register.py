"""The remote adapter against the simulator, over real HTTP: the contract as the service relies on it."""

import asyncio

import pytest

from iin_models.application import Applicant
from iin_models.national_register import Registrant
from register.matching import find_matches
from register.remote import RegisterUnavailable, RemoteRegister
from register.serving import running_simulator
from rules.matching import Band, MatchBasis
from tests.factories import make_application, make_document
from tests.toolkit.databases import Contents, fresh_database
from tests.toolkit.register import RunningSimulator


async def test_a_person_the_register_formed_is_found_again_with_a_new_passport(remote_register: RemoteRegister) -> None:
    first = make_application()
    formed = await remote_register.form(Registrant.of(first))
    renewed = make_application(applicant=first.applicant, document=make_document(number="N0000001"))

    matches = await find_matches(remote_register, renewed)

    assert formed.iin is not None
    assert [(m.iin, m.band, m.basis) for m in matches] == [(formed.iin, Band.CERTAIN, MatchBasis.IDENTITY)]


async def test_forming_again_for_one_application_returns_the_same_iin(remote_register: RemoteRegister) -> None:
    registrant = Registrant.of(make_application())

    first, again = await remote_register.form(registrant), await remote_register.form(registrant)

    assert first.iin is not None and again.iin == first.iin
    assert await remote_register.formed_for(registrant.application_id) == first.iin


async def test_forming_for_a_registered_person_names_the_holder(remote_register: RemoteRegister) -> None:
    first = make_application()
    formed = await remote_register.form(Registrant.of(first))

    refused = await remote_register.form(Registrant.of(make_application(applicant=first.applicant)))

    assert refused.iin is None
    assert [(h.iin, h.basis) for h in refused.holders] == [(formed.iin, "identity")]


async def test_nothing_formed_for_an_application_reads_back_as_none(remote_register: RemoteRegister) -> None:
    assert await remote_register.formed_for(make_application().application_id) is None


async def test_a_reply_lost_after_the_commit_is_an_error_and_the_retry_gets_the_iin(
    simulator: RunningSimulator, remote_register: RemoteRegister
) -> None:
    registrant = Registrant.of(make_application())
    await simulator.set_faults(lost_reply_rate=1.0)
    with pytest.raises(RegisterUnavailable, match="502"):
        await remote_register.form(registrant)
    await simulator.set_faults()

    retried = await remote_register.form(registrant)

    assert retried.iin is not None
    assert (
        await simulator.store.fetchval(
            "SELECT count(*) FROM people WHERE application_id = $1", registrant.application_id
        )
        == 1
    )


async def test_a_register_that_is_down_is_unavailable_until_it_returns(
    simulator: RunningSimulator, remote_register: RemoteRegister
) -> None:
    registrant = Registrant.of(make_application())
    await simulator.set_faults(down=True)
    with pytest.raises(RegisterUnavailable, match="503"):
        await remote_register.form(registrant)
    assert await simulator.store.fetchval("SELECT count(*) FROM people") == 0
    await simulator.set_faults(down=False)

    assert (await remote_register.form(registrant)).iin is not None


async def test_a_failed_call_names_the_route_but_not_the_document_asked_about(
    simulator: RunningSimulator, remote_register: RemoteRegister
) -> None:
    number = make_document().number
    await simulator.set_faults(down=True)
    try:
        with pytest.raises(RegisterUnavailable) as failure:
            await remote_register.document_holders(number)
    finally:
        await simulator.set_faults(down=False)

    assert str(failure.value) == "GET /v1/documents/{}/holders: 503 Service Unavailable"


async def test_an_unreachable_register_is_unavailable() -> None:
    register = RemoteRegister("http://127.0.0.1:9", timeout=1.0)
    try:
        with pytest.raises(RegisterUnavailable):
            await register.formed_for(make_application().application_id)
    finally:
        await register.aclose()


async def test_a_register_requiring_a_token_refuses_a_caller_without_it(server_dsn: str) -> None:
    async with (
        fresh_database(server_dsn, "register", Contents.EMPTY) as database,
        running_simulator(database.dsn, token="s3cret") as (url, _),
    ):
        anonymous, holder = RemoteRegister(url), RemoteRegister(url, token="s3cret")
        try:
            with pytest.raises(RegisterUnavailable, match="401"):
                await anonymous.formed_for(make_application().application_id)
            assert await holder.formed_for(make_application().application_id) is None
        finally:
            await asyncio.gather(anonymous.aclose(), holder.aclose())


async def test_two_applications_of_one_person_racing_form_one_iin(remote_register: RemoteRegister) -> None:
    applicant = make_application().applicant
    twins = [make_application(applicant=Applicant(**applicant.model_dump())) for _ in range(2)]

    formations = await asyncio.gather(*(remote_register.form(Registrant.of(a)) for a in twins))

    assert sorted(f.iin is None for f in formations) == [False, True]
