"""`iin keys create`: one role per key, the reviewer role among them."""

import asyncpg
import pytest

from db.api_keys import authenticate
from tests.toolkit.commands import run_iin


@pytest.mark.usefixtures("on_test_database")
async def test_create_reviewer_makes_a_key_of_the_reviewer_role(pool: asyncpg.Pool) -> None:
    result = await run_iin("keys", "create", "--reviewer", "--label", "register staff")

    assert result.exit_code == 0, result.output
    async with pool.acquire() as conn:
        key = await authenticate(conn, result.output.strip().splitlines()[-1])
    assert key is not None and key.reviewer and not key.operator and key.scope is None


@pytest.mark.usefixtures("on_test_database")
async def test_a_key_of_two_roles_is_refused() -> None:
    result = await run_iin("keys", "create", "--reviewer", "--operator")

    assert result.exit_code == 2
    assert "exactly one of" in result.output


async def test_the_database_refuses_a_key_of_two_roles(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO api_keys (id, token_sha256, operator, reviewer)"
                " VALUES ('key_x', repeat('0', 64), true, true)"
            )
