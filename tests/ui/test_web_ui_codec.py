"""Temporal's Web UI on sealed payloads, in a real browser: decoded through the API's codec endpoint, or not at all.

The stack is the one `iin up` runs, on free ports: the dev server with its Web UI pointed at the API's
`/codec` (`--ui-codec-endpoint`), a worker and the API, all on one AES-GCM key ring. Debian's chromium
(no browser download; `.ci/run` installs it) plays the operator: it signs in at `/codec/login` (an
HttpOnly cookie) and turns on "include cross-origin credentials" in the UI's Codec Server settings,
which the dev server's UI offers only as a browser setting. Without chromium the tests are skipped.
"""

import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright, expect
from playwright.async_api import Error as PlaywrightError
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.context import ApiContext
from api.server import build_server, start_server, stop_server
from clock import SYSTEM_CLOCK
from codec.converter import build_data_converter
from codec.keys import KeyRing, new_key_entry
from db.api_keys import create_key
from service.intake import submit
from tests.browser import ARGS, CHROMIUM, needs_chromium
from tests.factories import make_application
from workers.embedded import free_port, venv_binary
from workers.worker import build_worker
from workflows.search_attributes import ALL_KEYS

RENDERED_WITHIN_MS = 15_000

pytestmark = needs_chromium


@dataclass(frozen=True)
class SealedStack:
    """Where the UI and the API listen, an operator's key, and the one application run on them."""

    ui: str
    api: str
    operator_token: str
    workflow_id: str
    run_id: str
    surname: str
    sealed_input: str  # the workflow input as the history stores it: base64 of the ciphertext
    screenshots: Path

    @property
    def workflow_page(self) -> str:
        return f"{self.ui}/namespaces/default/workflows/{self.workflow_id}/{self.run_id}/history"


@pytest_asyncio.fixture(scope="module")
async def stack(pool: asyncpg.Pool, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SealedStack]:
    """A dev server with its Web UI, one application run to the end on sealed payloads, and the API."""
    api_port, ui_port = free_port(), free_port()
    environment = await WorkflowEnvironment.start_local(
        ui=True,
        ui_port=ui_port,
        dev_server_existing_path=venv_binary("temporal"),
        data_converter=build_data_converter(KeyRing.parse(new_key_entry("k1"))),
        search_attributes=ALL_KEYS,
        dev_server_extra_args=["--ui-codec-endpoint", f"http://127.0.0.1:{api_port}/codec"],
    )
    try:
        client, queue, application = environment.client, f"iin-ui-{uuid.uuid4()}", make_application()
        async with build_worker(client, pool, queue):
            submitted = await submit(client, pool, application, queue, now=SYSTEM_CLOCK.now())
            await submitted.handle.result()
        raw = Client(client.service_client, namespace=client.namespace)  # no codec: what the store holds
        history = await raw.get_workflow_handle(submitted.handle.id).fetch_history()
        started = history.events[0].workflow_execution_started_event_attributes
        async with pool.acquire() as conn:
            _, token = await create_key(conn, establishment_id=None, label="ui-test")
        context = ApiContext(
            client=client,
            pool=pool,
            task_queue=queue,
            public_base_url=f"http://127.0.0.1:{api_port}",
            codec=client.data_converter.payload_codec,
            ui_origins=(f"http://127.0.0.1:{ui_port}",),
        )
        server = build_server(context, api_port)
        serving = await start_server(server)
        try:
            yield SealedStack(
                ui=f"http://127.0.0.1:{ui_port}",
                api=f"http://127.0.0.1:{api_port}",
                operator_token=token,
                workflow_id=submitted.handle.id,
                run_id=str(submitted.handle.result_run_id),
                surname=application.applicant.surname,
                sealed_input=base64.b64encode(started.input.payloads[0].data).decode("ascii"),
                screenshots=tmp_path_factory.mktemp("web-ui"),
            )
        finally:
            await stop_server(server, serving)
    finally:
        await environment.shutdown()


@pytest_asyncio.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@pytest_asyncio.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser profile: no cookie, no codec settings."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield await context.new_page()
    finally:
        await context.close()


@asynccontextmanager
async def screenshot_on_failure(page: Page, stack: SealedStack, name: str) -> AsyncIterator[None]:
    """On a failed check or a browser step that timed out, save what the page showed and name the file."""
    try:
        yield
    except (AssertionError, PlaywrightError) as failure:
        shot = stack.screenshots / f"{name}.png"
        await page.screenshot(path=str(shot), full_page=True)
        raise AssertionError(f"{failure}\nthe page as it was: {shot}") from failure


async def sign_in_and_include_credentials(page: Page, stack: SealedStack) -> None:
    """What an operator does once per browser: sign in to the codec endpoint, then let the UI send the cookie."""
    await page.goto(f"{stack.api}/codec/login")
    await page.fill("input[name=key]", stack.operator_token)
    await page.click("button")
    await expect(page.locator("body")).to_contain_text("Signed in")

    await page.goto(f"{stack.ui}/namespaces/default/workflows")
    await page.locator("[data-testid^=data-encoder-status]").first.click()
    await page.get_by_test_id("use-local-endpoint-input").click()
    await page.locator("#data-encoder-endpoint-input").fill(f"{stack.api}/codec")
    await page.get_by_test_id("data-encoder-include-credentials").click()
    await page.get_by_role("button", name="Apply").click()


async def test_an_operator_signed_in_to_the_codec_endpoint_reads_the_applicants_surname_in_the_web_ui(
    stack: SealedStack, page: Page
) -> None:
    async with screenshot_on_failure(page, stack, "decoded"):
        await sign_in_and_include_credentials(page, stack)

        await page.goto(stack.workflow_page)

        await expect(page.get_by_test_id("input-and-result")).to_contain_text(
            f'"surname": "{stack.surname}"', timeout=RENDERED_WITHIN_MS
        )


async def test_a_browser_not_signed_in_to_the_codec_endpoint_sees_only_ciphertext_in_the_web_ui(
    stack: SealedStack, page: Page
) -> None:
    async with screenshot_on_failure(page, stack, "sealed"):
        # This browser never signed in: the UI calls the endpoint it was started with and is refused.
        await page.goto(stack.workflow_page)

        # The refusal shown and the input rendered (as the stored ciphertext): the absence below is not
        # checked on a page still loading.
        await expect(page.get_by_test_id("data-encoder-status-error")).to_be_visible(timeout=RENDERED_WITHIN_MS)
        await expect(page.get_by_test_id("input-and-result")).to_contain_text(
            stack.sealed_input[:48], timeout=RENDERED_WITHIN_MS
        )
        assert stack.surname not in await page.locator("body").inner_text()
