"""The review desk in a real browser (Debian's chromium through playwright): sign in with a reviewer's key,
open the queue, open an application, see both people, decide from the keyboard, see it leave the queue.

Screenshots of each page go to the test's temporary folder (printed), to be looked at.
"""

from pathlib import Path

import asyncpg
import httpx
from playwright.async_api import async_playwright

from db.api_keys import create_key
from tests.browser import ARGS, CHROMIUM, needs_chromium
from tests.toolkit.api import Keys
from tests.toolkit.review import in_review_through_the_api

pytestmark = needs_chromium


# An establishment no other test files at: the session's queue holds every other test's probable
# duplicates, more than one page of them, and the reviewer here filters by establishment as staff would.
OSLO = "emb-no-oslo"


async def test_a_reviewer_decides_a_probable_duplicate_from_the_desk_by_keyboard(
    http: httpx.AsyncClient, live_api: str, pool: asyncpg.Pool, keys: Keys, tmp_path: Path
) -> None:
    async with pool.acquire() as conn:
        _, oslo = await create_key(conn, establishment_id=OSLO, label="desk walk-through")
    application = await in_review_through_the_api(http, pool, oslo, OSLO)
    row = f'tr[data-application="{application.application_id}"]'
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            await page.goto(f"{live_api}/desk?lang=en")
            await page.fill("#key", keys.reviewer)
            await page.keyboard.press("Enter")
            await page.wait_for_selector("#sign-out")  # signed in: the queue's page
            await page.goto(f"{live_api}/desk?lang=en&establishment={OSLO}")
            await page.wait_for_selector(row)
            await page.screenshot(path=tmp_path / "1-queue.png", full_page=True)

            await page.focus(f"{row} a")
            await page.keyboard.press("Enter")
            await page.wait_for_selector(".comparison")
            applicant = await page.locator('tr[data-field="surname"] td.applicant').first.inner_text()
            registered = await page.locator('tr[data-field="surname"] td.candidate').first.inner_text()
            citizenship = await page.locator('tr[data-field="citizenship"] td').last.inner_text()
            await page.screenshot(path=tmp_path / "2-comparison.png", full_page=True)

            await page.focus("#verdict-different_person")
            await page.keyboard.press("Space")
            await page.keyboard.press("Tab")  # to the officer's id
            await page.keyboard.type("reviewer-7")
            await page.keyboard.press("Tab")  # to the note
            await page.keyboard.type("another person: documents of another state")
            await page.keyboard.press("Tab")  # to the button
            await page.keyboard.press("Enter")
            await page.wait_for_selector("#notice")
            notice = await page.locator("#notice").inner_text()
            await page.goto(f"{live_api}/desk?lang=en&establishment={OSLO}")
            await page.wait_for_selector("#queue, #queue-empty")
            left = await page.locator(row).count()
            await page.screenshot(path=tmp_path / "3-after.png", full_page=True)
        finally:
            await browser.close()
    print(f"screenshots: {tmp_path}")

    assert applicant == registered == application.applicant.surname
    assert citizenship == "differs"
    assert notice == "Verdict given"
    assert left == 0


async def test_the_desk_speaks_kazakh_and_russian(http: httpx.AsyncClient, live_api: str, keys: Keys) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page()
            await page.goto(f"{live_api}/desk")
            kazakh = (await page.get_attribute("html", "lang"), await page.locator("h1").inner_text())
            await page.goto(f"{live_api}/desk?lang=ru")
            russian = (await page.get_attribute("html", "lang"), await page.locator("h1").inner_text())
        finally:
            await browser.close()

    assert kazakh == ("kk", "Тексеру үстелі")
    assert russian == ("ru", "Стол проверки")
