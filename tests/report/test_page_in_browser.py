"""The report's page in a real browser (Debian's chromium through playwright), on screen and in print.

It must open from a file with nothing fetched, draw every chart, and fit A4 landscape when printed.
Screenshots and the PDF go to the test's temporary folder (printed), to be looked at.
"""

from datetime import date
from pathlib import Path

import asyncpg
import pypdf
from playwright.async_api import async_playwright

from clock import FixedClock
from report.build import build_report, write_report
from report.options import Period
from tests.browser import ARGS, CHROMIUM, needs_chromium
from tests.report.seed import AS_OF, ZONES, seed

pytestmark = needs_chromium
QUARTER = Period(date(2025, 1, 1), date(2025, 3, 31))
# The printable width of A4 landscape with the page's 12 mm margins, in CSS pixels (96 per inch).
PRINTABLE_PX = round((297 - 2 * 12) / 25.4 * 96)


async def test_the_page_draws_its_charts_offline_and_fits_a4_in_print(pool: asyncpg.Pool, tmp_path: Path) -> None:
    await seed(pool)
    async with pool.acquire() as conn:
        report = await build_report(conn, QUARTER, None, FixedClock(AS_OF))
    written = write_report(report, tmp_path)
    fetched: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: fetched.append(request.url))
            await page.goto(written.html.as_uri())
            await page.screenshot(path=tmp_path / "screen.png", full_page=True)
            charts = [await chart.bounding_box() for chart in await page.locator("svg.chart").all()]
            rows = [await page.locator(f"#figures-{n} tbody tr").count() for n in (1, 2)]

            await page.emulate_media(media="print")
            await page.set_viewport_size({"width": PRINTABLE_PX, "height": 900})
            widest = "Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right))"
            table_right = await page.evaluate(widest)
            await page.screenshot(path=tmp_path / "print.png", full_page=True)
            await page.pdf(path=str(tmp_path / "report.pdf"), prefer_css_page_size=True, print_background=True)
        finally:
            await browser.close()
    print(f"screenshots and PDF: {tmp_path}")

    assert fetched == [written.html.as_uri()]
    assert len(charts) == 5 and all(box is not None and box["width"] > 600 for box in charts)
    assert rows == [len(report.rows)] * 2
    assert table_right <= PRINTABLE_PX
    pdf = pypdf.PdfReader(tmp_path / "report.pdf")
    first = pdf.pages[0].mediabox
    assert float(first.width) > float(first.height)  # landscape, as the print stylesheet asks
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "The term, the times and the review queue" in text and all(e in text for e in ZONES)
