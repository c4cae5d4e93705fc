"""The archive keeps an ended application's review access log beside its history, under the row hash."""

import json
from collections.abc import AsyncIterator

import asyncpg
import httpx
from temporalio.client import Client

from activities.archive import Outcome, archive_application
from db.archive import ArchivedHistory, find, verify_rows
from tests.toolkit.api import Keys, bearer
from tests.toolkit.review import in_review_through_the_api, key_id_of
from tests.toolkit.waiting import eventually


async def test_the_archive_keeps_every_read_of_an_applications_comparison(
    http: httpx.AsyncClient, client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    application_id = application.application_id
    assert (await http.get(f"/v1/reviews/{application_id}", headers=bearer(keys.reviewer))).is_success
    verdict = {"officer_id": "reviewer-1", "verdict": "same_person"}
    assert (
        await http.post(f"/v1/applications/{application_id}/review", json=verdict, headers=bearer(keys.reviewer))
    ).is_success

    async def archived() -> Outcome:
        return await archive_application(client, pool, application_id, "rejected")

    await eventually(archived, lambda outcome: outcome in ("archived", "already"))
    async with pool.acquire() as conn:
        row = await find(conn, application_id)

    assert row is not None and row.access_log is not None
    [read] = json.loads(row.access_log)
    assert (read["api_key_id"], read["via"]) == (await key_id_of(pool, keys.reviewer), "api")
    assert row.history_intact and row.computed_row_hash() == row.row_hash


async def test_an_archived_access_log_changed_breaks_the_chain(
    http: httpx.AsyncClient, client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    application_id = application.application_id
    await http.get(f"/v1/reviews/{application_id}", headers=bearer(keys.reviewer))
    verdict = {"officer_id": "reviewer-1", "verdict": "same_person"}
    await http.post(f"/v1/applications/{application_id}/review", json=verdict, headers=bearer(keys.reviewer))

    async def archived() -> Outcome:
        return await archive_application(client, pool, application_id, "rejected")

    await eventually(archived, lambda outcome: outcome in ("archived", "already"))
    async with pool.acquire() as conn:
        row = await find(conn, application_id)
    assert row is not None
    emptied = ArchivedHistory(**{**row.__dict__, "access_log": b"[]"})  # as if the read were erased

    async def rows() -> AsyncIterator[ArchivedHistory]:
        yield emptied

    result = await verify_rows(rows())

    # Walked alone, the row also misses its predecessor; what matters is that its change is named.
    assert ("changed", application_id) in [(b.kind, b.application_id) for b in result.breaks]
