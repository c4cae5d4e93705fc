"""What the API and the worker's database role may not do (migration 0015), each refused by PostgreSQL itself.

The suite's workers and API run on `service_pool` (tests/toolkit/stack.py), so every real-stack test
also shows that the role may do all that the service needs.
"""

import asyncpg
import pytest

# What iin_service may do to each table beyond reading it; a table missing here fails the map test,
# so a migration that adds one must decide its rights.
WRITES: dict[str, set[str]] = {
    "applications": {"INSERT", "UPDATE"},
    "api_update_requests": {"INSERT", "UPDATE"},
    "events": {"INSERT", "UPDATE"},
    "event_sequencer": {"INSERT", "UPDATE"},
    "webhooks": {"INSERT", "UPDATE"},
    "iin_serials": {"INSERT", "UPDATE"},
    "api_submissions": {"INSERT"},
    "audit_events": {"INSERT"},
    "decisions": {"INSERT"},
    "certificates": {"INSERT"},
    "rejection_notices": {"INSERT"},
    "history_archive": {"INSERT"},
    "people": {"INSERT"},
    "person_documents": {"INSERT"},
    "people_name_keys": {"INSERT"},
    "webhook_deliveries": {"INSERT"},
    "sessions": {"INSERT"},
    "review_access_log": {"INSERT"},
    "review_approvals": {"INSERT"},
    "api_keys": set(),
    "establishments": set(),
    "establishment_closures": set(),
    "service_periods": set(),
    "convention_memberships": set(),
    "applicant_categories": set(),
    "invalid_documents": set(),
    "calendar_corrections": set(),
    "register_imports": set(),
    "schema_migrations": set(),
}


# Rights on single columns: a withdrawal revokes a certificate; a logout ends a session.
COLUMN_WRITES = {
    ("certificates", "UPDATE", "revocation_reason"),
    ("certificates", "UPDATE", "revoked_at"),
    ("sessions", "UPDATE", "ended_at"),
}
SERVICE_ACL = """
    SELECT c.relname, a.privilege_type FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
     WHERE c.relkind IN ('r', 'p') AND a.grantee = 'iin_service'::regrole"""
SERVICE_COLUMN_ACL = """
    SELECT c.relname, a.privilege_type, t.attname FROM pg_attribute t
      JOIN pg_class c ON c.oid = t.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     CROSS JOIN LATERAL aclexplode(t.attacl) a
     WHERE t.attacl IS NOT NULL AND a.grantee = 'iin_service'::regrole AND a.privilege_type <> 'SELECT'"""


async def _refused(pool: asyncpg.Pool, statement: str) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)


async def test_the_service_role_reads_every_table_and_writes_only_what_it_must(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        tables = {
            row["tablename"] for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        rows = await conn.fetch(SERVICE_ACL)
    granted: dict[str, set[str]] = {table: set() for table in tables}
    for row in rows:
        granted[row["relname"]].add(row["privilege_type"])
    assert granted == {table: {"SELECT"} | WRITES.get(table, {"unlisted: decide its rights"}) for table in tables}


async def test_the_service_role_may_change_single_columns_only_where_a_rule_says(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        rows = await conn.fetch(SERVICE_COLUMN_ACL)
    assert {(row["relname"], row["privilege_type"], row["attname"]) for row in rows} == COLUMN_WRITES


async def test_the_service_role_cannot_change_the_schema(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "CREATE TABLE mischief (id int)")


async def test_the_service_role_cannot_disable_a_trigger(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "ALTER TABLE decisions DISABLE TRIGGER decisions_append_only")


async def test_the_service_role_cannot_bring_a_revoked_key_back(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "UPDATE api_keys SET revoked_at = NULL")


async def test_the_service_role_cannot_create_a_key(service_pool: asyncpg.Pool) -> None:
    await _refused(
        service_pool,
        "INSERT INTO api_keys (id, token_sha256, operator, label) VALUES ('key_x', 'x', true, 'mischief')",
    )


async def test_the_service_role_cannot_change_reference_data(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "UPDATE establishments SET city = 'elsewhere'")


@pytest.mark.parametrize(
    "table",
    ["audit_events", "decisions", "history_archive", "certificates", "rejection_notices", "review_access_log"],
)
async def test_the_service_role_cannot_delete_what_answers_for_a_decision(
    service_pool: asyncpg.Pool, table: str
) -> None:
    await _refused(service_pool, f"DELETE FROM {table}")


@pytest.mark.parametrize(
    "table",
    ["audit_events", "decisions", "history_archive", "rejection_notices", "review_access_log", "review_approvals"],
)
async def test_the_service_role_cannot_rewrite_what_answers_for_a_decision(
    service_pool: asyncpg.Pool, table: str
) -> None:
    await _refused(service_pool, f"UPDATE {table} SET application_id = application_id")


async def test_the_service_role_may_revoke_a_certificate_but_not_rewrite_it(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "UPDATE certificates SET iin = iin")


async def test_the_service_role_cannot_truncate_the_audit(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "TRUNCATE audit_events")


async def test_the_service_role_cannot_truncate_the_access_log(service_pool: asyncpg.Pool) -> None:
    await _refused(service_pool, "TRUNCATE review_access_log")
