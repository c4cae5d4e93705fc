"""The README's first try, `iin sample`, reaches a certificate at every establishment, whatever the hour.

The API and the worker share one `FixedClock` set to each instant, so the submission is received
and decided at that hour on the Python side, as `iin up` would at it.
"""

import asyncio
import csv
import uuid
from datetime import datetime

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from clock import FixedClock
from commands.sample import sample_application
from config.settings import REPO_ROOT, get_settings
from iin_client import IinClient
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from tests.toolkit.api import Keys
from workers.worker import build_worker

ESTABLISHMENTS = [
    row["id"] for row in csv.DictReader((REPO_ROOT / "data" / "establishments.csv").open(encoding="utf-8", newline=""))
]


async def sample_at(iin: IinClient, clock: FixedClock, establishment_id: str) -> ApplicationStatus:
    """Submit the sample application at `establishment_id` and follow it to its end."""
    submission = await iin.submit(sample_application(clock.now(), establishment_id))
    last = None
    async for status in iin.follow(submission.application.application_id):
        last = status
    assert last is not None
    return last


@pytest.mark.parametrize(
    "instant",
    ["2026-12-01T16:01:00+00:00", "2026-12-31T23:30:00+00:00"],
)
async def test_the_sample_gets_a_certificate_at_every_establishment(
    client: Client, pool: asyncpg.Pool, keys: Keys, instant: str
) -> None:
    clock = FixedClock(datetime.fromisoformat(instant))
    queue = f"iin-test-{uuid.uuid4()}"
    context = ApiContext(
        client=client, pool=pool, task_queue=queue, public_base_url=get_settings().public_base_url, clock=clock
    )
    transport = httpx.ASGITransport(app=create_app(context))
    async with (
        build_worker(client, pool, queue, clock=clock),
        IinClient("http://api.test", keys.operator, transport=transport) as iin,
    ):
        finals = await asyncio.gather(*(sample_at(iin, clock, e) for e in ESTABLISHMENTS))

    ended = {e: status.state for e, status in zip(ESTABLISHMENTS, finals, strict=True)}
    assert ended == dict.fromkeys(ESTABLISHMENTS, ApplicationState.CERTIFICATE_ISSUED)
