"""Browser tests: Playwright's sync API drives Debian's chromium against the live server.

Nothing here runs `playwright install`: the tests use /usr/bin/chromium (`apt-get install chromium`)
and are skipped, with the reason shown, where it is missing. Screenshots go to
test-artifacts/screenshots/ at the top of the repository (git-ignored).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the test thread, so Django would
# refuse the ORM calls that fixtures make ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        pytest.skip("chromium not found at /usr/bin/chromium: browser tests skipped")
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One headless chromium per test module; stopped afterwards so no event loop lingers."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class PageProblems:
    """What went wrong while a page was open: HTTP errors, failed requests, script errors.

    A background request that a page navigation cuts short (the live duplicate check still
    running when the form is submitted) is aborted by the browser, not failed: it is ignored."""

    def __init__(self, page):
        self.responses: list[str] = []
        self.failed: list[str] = []
        self.scripts: list[str] = []
        self.assets: dict[str, int] = {}
        page.on("response", self._response)
        page.on("requestfailed", self._on_failed)
        page.on("pageerror", lambda e: self.scripts.append(str(e)))
        page.on("console", self._console)

    def _console(self, message):
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.scripts.append(f"{message.text} ({url})")

    def _response(self, response):
        if "/static/" in response.url:
            self.assets[response.url.split("/static/", 1)[1]] = response.status
        if response.status >= 400:
            self.responses.append(f"{response.status} {response.request.method} {response.url}")

    def check(self):
        assert not self.responses, f"error responses: {self.responses}"
        assert not self.failed, f"failed requests: {self.failed}"

    def _on_failed(self, request) -> None:
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.failed.append(f"{request.url} {request.failure}")
        assert not self.scripts, f"script errors: {self.scripts}"
        assert self.assets.get("mawa/mawa.css") in (200, 304), f"stylesheet: {self.assets}"
        assert self.assets.get("vendor/htmx.min.js") in (200, 304), f"htmx: {self.assets}"


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose problems are checked after the test."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()


@pytest.fixture
def shoot():
    """Save a full-page screenshot as test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot
