"""Verification against the MRZ and the invalid documents registry, and loading that registry."""

from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import ActivityEnvironment

from activities.checks import CheckActivities
from clock import SYSTEM_CLOCK
from db import invalid_documents
from iin_models.application import Application
from register.embedded import EmbeddedRegister
from schemas.contract import ApplicationInput
from service.intake import resolve
from tests.factories import make_application, make_document, mrz_for
from tests.toolkit.commands import run_iin

HEADER = "issuing_state,number,reason,reported_on,source\n"


async def verified_codes(pool: asyncpg.Pool, application: Application) -> list[tuple[str, str]]:
    data: ApplicationInput = await resolve(pool, application, now=SYSTEM_CLOCK.now())
    decision = await ActivityEnvironment().run(CheckActivities(pool, EmbeddedRegister(pool)).verify_documents, data)
    return [(f.code, f.field) for f in decision.findings]


async def test_document_reported_stolen_is_unreliable(pool: asyncpg.Pool, tmp_path: Path) -> None:
    application = make_application()
    path = tmp_path / "stolen.csv"
    path.write_text(HEADER + f"TR,{application.document.number.lower()},stolen,2025-01-02,interpol-sltd\n")
    await invalid_documents.load(pool, invalid_documents.read_file(path))

    assert await verified_codes(pool, application) == [("document_invalidated", "document.number")]


async def test_same_number_reported_by_another_state_does_not_concern_the_document(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    application = make_application()
    path = tmp_path / "lost.csv"
    path.write_text(HEADER + f"DE,{application.document.number},lost,2025-01-02,bka\n")
    await invalid_documents.load(pool, invalid_documents.read_file(path))

    assert await verified_codes(pool, application) == []


async def test_mrz_contradicting_the_typed_number_is_unreliable(pool: asyncpg.Pool) -> None:
    application = make_application()
    retyped = make_document(number="Q1234567", mrz=mrz_for(application))

    assert await verified_codes(pool, make_application(applicant=application.applicant, document=retyped)) == [
        ("mrz_mismatch", "document.number")
    ]


def test_file_with_an_unknown_reason_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "TR,U1,lost,2025-01-02,x\nTR,U2,misplaced,2025-01-02,x\n")

    with pytest.raises(invalid_documents.InvalidDocumentsFileError) as error:
        invalid_documents.read_file(path)

    assert error.value.line == 3


@pytest.mark.usefixtures("on_test_database")
async def test_load_command_loads_the_file_and_a_second_load_corrects_rows(pool: asyncpg.Pool, tmp_path: Path) -> None:
    number = make_document().number
    path = tmp_path / "invalid.csv"
    path.write_text(HEADER + f"TR,{number},lost,2025-01-02,first report\n")
    first = await run_iin("invalid-documents", "load", str(path))
    path.write_text(HEADER + f"TR,{number},invalidated,2025-02-03,corrected\n")
    second = await run_iin("invalid-documents", "load", str(path))

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "loaded: 1" in second.output
    async with pool.acquire() as conn:
        found = await invalid_documents.find_invalidation(conn, "TR", number)
    assert found is not None and found.reason is invalid_documents.InvalidationReason.INVALIDATED


@pytest.mark.usefixtures("on_test_database")
async def test_load_command_refuses_a_bad_file_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("state,number\nTR,U1\n")

    result = await run_iin("invalid-documents", "load", str(path))

    assert result.exit_code == 2
    assert "missing columns" in result.output
