"""The page a certificate's QR code opens, in a real browser: Debian's chromium driven by playwright.

No browser is downloaded: playwright drives /usr/bin/chromium (`apt-get install chromium`; .ci/run
installs it). Without it the test is skipped, saying why.
"""

import httpx
from playwright.async_api import async_playwright

from tests.browser import ARGS, CHROMIUM, needs_chromium
from tests.factories import make_application
from tests.toolkit.api import Keys, final_status

pytestmark = needs_chromium


async def test_a_phone_browser_reads_the_verdict_from_the_verification_page(
    http: httpx.AsyncClient, live_api: str, keys: Keys
) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    assert status.iin is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            await page.goto(f"{live_api}/verify/{status.certificate_number}")
            verdict = page.locator("#verdict")
            assert await verdict.get_attribute("data-verdict") == "valid"
            assert "The certificate is genuine and valid" in await verdict.inner_text()
            assert "Свидетельство подлинное и действительно" in await verdict.inner_text()
            assert await page.locator("#iin").inner_text() == "********" + status.iin[-4:]
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390  # nothing overflows a phone's width
        finally:
            await browser.close()


async def test_a_browser_shows_a_number_never_issued_as_not_genuine(live_api: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page()
            answer = await page.goto(f"{live_api}/verify/KZ-AAAA-BBBB-CCCC-DDDD")
            assert answer is not None and answer.status == 404
            assert await page.locator("#verdict").get_attribute("data-verdict") == "unknown"
        finally:
            await browser.close()
