"""Service periods at intake: which period a submission falls in, who may apply in it, and that the
rules resolved at submission stay with the application whatever the reference data become."""

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from config.settings import REPO_ROOT
from db.reference import load_reference_data, open_local_window
from iin_models.application import Application
from iin_models.enums import ApplicationState
from schemas.contract import ApplicationInput, workflow_id
from service.errors import (
    AgeRequirementNotMet,
    CategoryNotEligible,
    CategoryRequired,
    OutsideServicePeriod,
    SupportingDocumentInvalid,
    SupportingDocumentMissing,
)
from service.intake import resolve, start, submit
from tests.factories import make_applicant, make_application, make_document, make_supporting_document

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# Valid on every day of both periods, so only the period and the category decide.
LONG_VALID = {"issued_on": date(2020, 1, 1), "expires_on": date(2035, 1, 1)}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def spouse(**overrides: Any) -> Application:
    """A spouse of a Kazakh citizen with a marriage certificate: eligible in both periods."""
    fields: dict[str, Any] = {
        "category": "spouse_of_citizen",
        "supporting_document": make_supporting_document(),
        "document": make_document(**LONG_VALID),
    }
    fields.update(overrides)
    return make_application(**fields)


@pytest.mark.parametrize(
    ("establishment", "submitted_at", "period"),
    [
        ("emb-cn-beijing", "2024-04-12T16:30+00:00", "pilot-2024"),  # 00:30 on 13 Apr 2024 in Beijing
        ("emb-us-washington", "2025-01-01T04:30+00:00", "pilot-2024"),  # 23:30 on 31 Dec 2024 in Washington
        ("emb-cn-beijing", "2025-04-17T16:30+00:00", "pilot-2025"),  # 00:30 on 18 Apr 2025 in Beijing
        ("emb-us-washington", "2026-01-01T04:30+00:00", "pilot-2025"),  # 23:30 on 31 Dec 2025 in Washington
    ],
    ids=["2024-first-day", "2024-last-day", "2025-first-day", "2025-last-day"],
)
async def test_the_first_and_last_local_day_of_each_period_are_in_it(
    pool: asyncpg.Pool, establishment: str, submitted_at: str, period: str
) -> None:
    application = spouse(establishment_id=establishment, submitted_at=at(submitted_at))

    resolved = await resolve(pool, application, now=NOW)

    assert resolved.service_period.id == period


@pytest.mark.parametrize(
    ("establishment", "submitted_at"),
    [
        ("emb-us-washington", "2024-04-13T03:30+00:00"),  # 23:30 on 12 Apr 2024 in Washington
        ("emb-cn-beijing", "2024-12-31T16:30+00:00"),  # 00:30 on 1 Jan 2025 in Beijing
        ("emb-tr-ankara", "2025-02-14T10:00+03:00"),
        ("emb-us-washington", "2025-04-18T03:30+00:00"),  # 23:30 on 17 Apr 2025 in Washington
    ],
    ids=["day-before-2024", "gap-first-day", "gap-middle", "gap-last-day"],
)
async def test_a_submission_outside_every_period_is_refused(
    pool: asyncpg.Pool, establishment: str, submitted_at: str
) -> None:
    with pytest.raises(OutsideServicePeriod) as refused:
        await resolve(pool, spouse(establishment_id=establishment, submitted_at=at(submitted_at)), now=NOW)

    assert refused.value.field == "submitted_at"


async def test_in_2024_any_foreigner_may_apply_without_a_category(pool: asyncpg.Pool) -> None:
    resolved = await resolve(pool, make_application(submitted_at=at("2024-09-10T10:00+03:00")), now=NOW)

    assert resolved.service_period.id == "pilot-2024"
    assert resolved.service_period.categories is None


async def test_in_2025_an_eligible_category_is_resolved_with_its_rules(pool: asyncpg.Pool) -> None:
    resolved = await resolve(pool, spouse(submitted_at=at("2025-06-10T10:00+03:00")), now=NOW)

    category = resolved.service_period.category("spouse_of_citizen")
    assert category is not None
    assert category.supporting_documents == ("marriage_certificate",)


async def test_in_2025_an_application_without_category_is_refused(pool: asyncpg.Pool) -> None:
    with pytest.raises(CategoryRequired) as refused:
        await resolve(pool, make_application(submitted_at=at("2025-06-10T10:00+03:00")), now=NOW)

    assert refused.value.field == "category"


async def test_in_2025_a_category_not_listed_is_refused(pool: asyncpg.Pool) -> None:
    tourist = spouse(category="tourist", submitted_at=at("2025-06-10T10:00+03:00"))

    with pytest.raises(CategoryNotEligible) as refused:
        await resolve(pool, tourist, now=NOW)

    assert refused.value.field == "category"


async def test_in_2025_a_category_without_its_document_is_refused(pool: asyncpg.Pool) -> None:
    with pytest.raises(SupportingDocumentMissing) as refused:
        await resolve(pool, spouse(supporting_document=None, submitted_at=at("2025-06-10T10:00+03:00")), now=NOW)

    assert refused.value.field == "supporting_document"


async def test_in_2025_a_document_that_does_not_prove_the_category_is_refused(pool: asyncpg.Pool) -> None:
    wrong = spouse(
        supporting_document=make_supporting_document(kind="birth_certificate"),
        submitted_at=at("2025-06-10T10:00+03:00"),
    )

    with pytest.raises(SupportingDocumentInvalid) as refused:
        await resolve(pool, wrong, now=NOW)

    assert refused.value.field == "supporting_document.kind"


def aged(birth_date: date, **overrides: Any) -> Application:
    return make_application(
        category="aged_65_plus",
        applicant=make_applicant(birth_date=birth_date),
        document=make_document(**LONG_VALID),
        **overrides,
    )


@pytest.mark.parametrize(
    ("establishment", "submitted_at"),
    [
        ("emb-tr-ankara", "2025-06-10T10:00+03:00"),  # the 65th birthday
        ("emb-tr-ankara", "2025-06-11T10:00+03:00"),  # the day after
        ("emb-cn-beijing", "2025-06-09T16:30+00:00"),  # 00:30 on the birthday in Beijing; UTC says the day before
    ],
    ids=["birthday", "day-after", "birthday-by-local-date"],
)
async def test_aged_65_is_admitted_from_the_local_birthday(
    pool: asyncpg.Pool, establishment: str, submitted_at: str
) -> None:
    application = aged(date(1960, 6, 10), establishment_id=establishment, submitted_at=at(submitted_at))

    resolved = await resolve(pool, application, now=NOW)

    assert resolved.service_period.id == "pilot-2025"


@pytest.mark.parametrize(
    ("establishment", "submitted_at"),
    [
        ("emb-tr-ankara", "2025-06-09T10:00+03:00"),  # the day before the 65th birthday
        ("emb-us-washington", "2025-06-10T03:30+00:00"),  # 23:30 the day before in Washington; UTC says the birthday
    ],
    ids=["day-before", "day-before-by-local-date"],
)
async def test_aged_65_is_refused_the_day_before_the_local_birthday(
    pool: asyncpg.Pool, establishment: str, submitted_at: str
) -> None:
    application = aged(date(1960, 6, 10), establishment_id=establishment, submitted_at=at(submitted_at))

    with pytest.raises(AgeRequirementNotMet) as refused:
        await resolve(pool, application, now=NOW)

    assert refused.value.field == "applicant.birth_date"


@pytest.mark.parametrize(
    ("submitted_at", "admitted"),
    [("2025-06-09T10:00+03:00", True), ("2025-06-10T10:00+03:00", False), ("2025-06-11T10:00+03:00", False)],
    ids=["day-before-16th-birthday", "16th-birthday", "day-after"],
)
async def test_a_child_is_admitted_only_before_the_16th_birthday(
    pool: asyncpg.Pool, submitted_at: str, admitted: bool
) -> None:
    child = make_application(
        category="child_of_citizen",
        supporting_document=make_supporting_document(kind="birth_certificate", issued_on=date(2009, 6, 20)),
        applicant=make_applicant(birth_date=date(2009, 6, 10)),
        document=make_document(**LONG_VALID),
        submitted_at=at(submitted_at),
    )

    if admitted:
        assert (await resolve(pool, child, now=NOW)).service_period.id == "pilot-2025"
    else:
        with pytest.raises(AgeRequirementNotMet):
            await resolve(pool, child, now=NOW)


async def test_the_local_window_begins_after_the_last_shipped_period_and_admits_everyone(
    pool: asyncpg.Pool,
) -> None:
    # 00:30 on 1 Jan 2026 in Beijing: past every shipped period; the test pool has the local window.
    application = make_application(establishment_id="emb-cn-beijing", submitted_at=at("2025-12-31T16:30+00:00"))

    resolved = await resolve(pool, application, now=at("2025-12-31T16:30+00:00"))

    assert resolved.service_period.id == "local-window"
    assert resolved.service_period.starts_on == date(2026, 1, 1)
    assert resolved.service_period.ends_on is None
    assert resolved.service_period.categories is None


async def test_an_ineligible_submission_starts_nothing_and_writes_nothing(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application = make_application(submitted_at=at("2025-06-10T10:00+03:00"))
    with pytest.raises(CategoryRequired):
        await submit(client, pool, application, task_queue, now=NOW)

    with pytest.raises(RPCError) as missing:
        await client.get_workflow_handle(workflow_id(application.application_id)).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND
    async with pool.acquire() as conn:
        rows = await conn.fetchval(
            "SELECT count(*) FROM applications WHERE application_id = $1", application.application_id
        )
    assert rows == 0


def without_spouses(data: Path) -> Path:
    """A copy of the reference data in which the 2025 period no longer admits spouses."""
    periods = data / "service_periods.csv"
    text = periods.read_text(encoding="utf-8")
    assert "+spouse_of_citizen" in text
    periods.write_text(text.replace("+spouse_of_citizen", ""), encoding="utf-8")
    return data


async def test_a_data_change_after_submission_leaves_the_applications_rules_unchanged(
    client: Client, pool: asyncpg.Pool, task_queue: str, tmp_path: Path
) -> None:
    application = spouse(submitted_at=at("2025-06-10T10:00+03:00"))
    resolved = await resolve(pool, application, now=NOW)
    changed = without_spouses(Path(shutil.copytree(REPO_ROOT / "data", tmp_path / "data")))
    try:
        await load_reference_data(pool, changed)
        with pytest.raises(CategoryNotEligible):  # the change is in force for new submissions
            await resolve(pool, application, now=NOW)
        handle = await start(client, resolved, task_queue)
        final = await handle.result()
        history = await handle.fetch_history()
    finally:
        await load_reference_data(pool, REPO_ROOT / "data")
        await open_local_window(pool)

    assert final.state is ApplicationState.CERTIFICATE_ISSUED
    assert final.service_period_id == "pilot-2025"
    started = history.events[0].workflow_execution_started_event_attributes.input.payloads
    [carried] = await client.data_converter.decode(started, [ApplicationInput])
    assert carried.service_period.category("spouse_of_citizen") is not None


async def test_reference_data_naming_an_unknown_category_is_refused_and_changes_nothing(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    data = Path(shutil.copytree(REPO_ROOT / "data", tmp_path / "data"))
    periods = data / "service_periods.csv"
    periods.write_text(periods.read_text(encoding="utf-8").replace("+heir+", "+hier+"), encoding="utf-8")

    with pytest.raises(ValueError, match="hier"):
        await load_reference_data(pool, data)

    async with pool.acquire() as conn:
        codes = await conn.fetchval("SELECT categories FROM service_periods WHERE id = 'pilot-2025'")
    assert "heir" in codes
