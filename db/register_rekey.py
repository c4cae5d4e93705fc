"""Deriving every registered person's name keys again, after the matching rules changed.

`people_name_keys` holds the keys `rules.matching.registry_keys` gave when each person was
registered or imported. A release whose rules give other keys (a new romanisation system, say)
leaves the people registered before it findable only under the old ones, so a duplicate spelt the
new way is missed. `rekey` derives the keys of everyone again with the rules of the running code and
makes the table hold exactly those, in one transaction: a person's keys are never half replaced.
Run again, it changes nothing. People registered while it runs already have the new rules' keys
and are left alone.
"""

import os
from dataclasses import dataclass

import asyncpg

from db.process_pool import ChunkPool
from db.register_file import NameRow, distinct_names, name_key_copy
from db.register_import import KEY_CHUNK, KEYS_AHEAD, ImportProgress, Silent, row_count, streamed
from db.register_import_sql import CREATE_STAGE_KEYS, STAGE_KEYS

# The people to derive again, numbered (the key derivation speaks of lines); their new keys go to
# the import's staging table of keys.
CREATE_PEOPLE = """
CREATE TEMP TABLE register_rekey_people ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY iin)::integer AS line, iin, birth_date, surname, given_names, patronymic
FROM people"""
NAMES = "SELECT line, surname, given_names, patronymic FROM pg_temp.register_rekey_people"
ANALYZE = "ANALYZE pg_temp.register_rekey_people; ANALYZE pg_temp.register_stage_keys"
# Only the people staged: someone registered meanwhile has the new keys and is not theirs to remove.
REMOVE_STALE = """
DELETE FROM people_name_keys o
USING pg_temp.register_rekey_people p
WHERE o.iin = p.iin
  AND NOT EXISTS (
    SELECT FROM pg_temp.register_stage_keys k
    WHERE k.line = p.line AND k.name_key = o.name_key AND o.birth_date = p.birth_date
  )"""
# Each person's keys as the rules give them now (a name's full and partial keys never overlap).
ADD_NEW = """
INSERT INTO people_name_keys (birth_date, name_key, iin, full_name)
SELECT p.birth_date, k.name_key, p.iin, k.full_name
FROM pg_temp.register_rekey_people p JOIN pg_temp.register_stage_keys k USING (line)
ORDER BY 1, 2, 3
ON CONFLICT (birth_date, name_key, iin) DO UPDATE SET full_name = excluded.full_name
WHERE people_name_keys.full_name IS DISTINCT FROM excluded.full_name"""


@dataclass(frozen=True)
class RekeyReport:
    """What a rekey did: people derived again, keys removed (stale) and added or changed."""

    people: int
    removed: int
    added: int


async def rekey(
    pool: asyncpg.Pool,
    *,
    progress: ImportProgress | None = None,
    chunk_names: int = KEY_CHUNK,
    workers: int | None = None,
) -> RekeyReport:
    """Make `people_name_keys` hold the keys today's rules give every registered person."""
    progress = progress or Silent()
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL statement_timeout = 0")
        await conn.execute("SET LOCAL work_mem = '256MB'")
        await conn.execute(CREATE_STAGE_KEYS)
        people = row_count(await conn.execute(CREATE_PEOPLE))
        names = distinct_names(await conn.fetch(NAMES))
        chunks: list[list[NameRow]] = [names[i : i + chunk_names] for i in range(0, len(names), chunk_names)]
        # A process pool costs a second or two to start: worth it only past one chunk.
        with ChunkPool(0 if len(chunks) <= 1 else workers or os.cpu_count() or 1) as processes:
            async with processes.ahead(name_key_copy, chunks, KEYS_AHEAD) as derived:
                progress.begin("deriving name keys", len(names))
                await conn.copy_to_table(
                    STAGE_KEYS,
                    source=streamed(derived, chunks, progress),
                    columns=("line", "name_key", "full_name"),
                    schema_name="pg_temp",
                )
        await conn.execute(ANALYZE)
        progress.begin("removing stale keys")
        removed = row_count(await conn.execute(REMOVE_STALE))
        progress.begin("adding new keys")
        added = row_count(await conn.execute(ADD_NEW))
    return RekeyReport(people, removed, added)
