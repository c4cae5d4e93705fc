"""`iin reviews list|show|decide` through the API (uvicorn on a free port), and `iin audit access`."""

from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from tests.toolkit.api import Keys
from tests.toolkit.commands import run_iin
from tests.toolkit.review import in_review_through_the_api, key_id_of


@pytest.fixture
def on_live_api(cli_env: pytest.MonkeyPatch, live_api: str, on_test_database: None) -> None:
    """The commands call the API the test serves, and read the test's database."""
    cli_env.setenv("API_PORT", str(urlsplit(live_api).port))


@pytest.mark.usefixtures("on_live_api")
async def test_reviews_list_shows_the_application_awaiting_review(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    result = await run_iin("reviews", "list", "--limit", "200", "--api-key", keys.reviewer)

    assert result.exit_code == 0, result.output
    assert str(application.application_id) in result.output and "other_citizenship_or_sex" in result.output


@pytest.mark.usefixtures("on_live_api")
async def test_reviews_show_puts_both_people_side_by_side(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    result = await run_iin("reviews", "show", str(application.application_id), "--api-key", keys.reviewer)

    assert result.exit_code == 0, result.output
    assert result.output.count(application.applicant.surname) >= 2 and "differs" in result.output


@pytest.mark.usefixtures("on_live_api")
async def test_reviews_show_with_an_establishment_key_is_refused(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    result = await run_iin("reviews", "show", str(application.application_id), "--api-key", keys.ankara)

    assert result.exit_code == 1
    assert application.applicant.surname not in result.output


@pytest.mark.usefixtures("on_live_api")
async def test_reviews_decide_gives_the_verdict(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    result = await run_iin(
        "reviews",
        "decide",
        str(application.application_id),
        "same_person",
        "--officer",
        "reviewer-9",
        "--api-key",
        keys.reviewer,
    )

    assert result.exit_code == 0, result.output
    assert "rejected" in result.output


@pytest.mark.usefixtures("on_live_api")
async def test_audit_access_lists_who_read_which_comparison(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    await run_iin("reviews", "show", str(application.application_id), "--api-key", keys.reviewer)

    result = await run_iin("audit", "access", "--application", str(application.application_id))

    assert result.exit_code == 0, result.output
    assert await key_id_of(pool, keys.reviewer) in result.output and "1 read(s)" in result.output
