"""Liveness and readiness: /readyz answers 200 only when PostgreSQL and Temporal both answer."""

import asyncio

from fastapi import APIRouter

from api.context import Context
from api.problems import ProblemError
from api.responses import problems
from iin_models.api import Health

router = APIRouter(tags=["health"])
CHECK_TIMEOUT = 3.0


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and serving."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problems(503))
async def readyz(context: Context) -> Health:
    """PostgreSQL and Temporal are reachable."""
    failed: list[str] = []
    try:
        async with asyncio.timeout(CHECK_TIMEOUT), context.pool.acquire() as conn:
            await conn.fetchval("SELECT 1")
    except Exception:  # whatever the failure, the dependency is not usable: not ready
        failed.append("postgresql")
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            if not await context.client.service_client.check_health():
                failed.append("temporal")
    except Exception:  # whatever the failure, the dependency is not usable: not ready
        failed.append("temporal")
    if failed:
        raise ProblemError("unavailable", f"not reachable: {', '.join(failed)}")
    return Health(status="ok", checks={"postgresql": "ok", "temporal": "ok"})
