"""Apply the SQL files of db/migrations in order, each once, each in its own transaction."""

from importlib.resources import files

import asyncpg

# Any constant works; it keeps two processes starting at once from applying a migration twice.
_MIGRATION_LOCK = 0x11A_5EED


def migration_files() -> list[tuple[str, str]]:
    """(version, sql) of every migration shipped with the package, in order."""
    folder = files("db") / "migrations"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    return [(name.removesuffix(".sql"), (folder / name).read_text(encoding="utf-8")) for name in names]


async def migrate(pool: asyncpg.Pool) -> list[str]:
    """Apply pending migrations; return the versions applied now."""
    applied_now: list[str] = []
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row["version"] for row in await conn.fetch("SELECT version FROM schema_migrations")}
            for version, sql in migration_files():
                if version in done:
                    continue
                async with conn.transaction():
                    # A migration may rightly run long (an index built over the whole registry): the
                    # session's statement_timeout is lifted for its transaction only. lock_timeout stays,
                    # so a migration queued behind traffic fails and is retried instead of stalling it.
                    await conn.execute("SET LOCAL statement_timeout = 0")
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)
                applied_now.append(version)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
    return applied_now
