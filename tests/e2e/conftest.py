"""Browser fixtures: one headless Debian Chromium for the e2e tests, a fresh page (and browser context) per test.

Playwright only drives the browser; it never downloads one. Without /usr/bin/chromium the test modules skip with
the apt line that installs it (see ``require_chromium``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, ViewportSize, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}


def require_chromium() -> None:
    """Skip the calling test module when the system Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium: apt-get install -y chromium chromium-driver",
            allow_module_level=True,
        )


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@dataclass
class PageErrors:
    """What went wrong inside the page: uncaught exceptions and Content-Security-Policy violations."""

    exceptions: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(message.text)


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@contextmanager
def watched_page(
    browser: Browser, page_errors: PageErrors, viewport: ViewportSize = VIEWPORT, **options: Any
) -> Iterator[Page]:
    """A page in a fresh browser context that records uncaught errors and CSP violations, checked when it closes."""
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="UTC", **options)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    opened.on("console", page_errors.on_console)
    opened.on("pageerror", lambda error: page_errors.exceptions.append(str(error)))
    yield opened
    context.close()
    assert page_errors.exceptions == [], page_errors.exceptions
    assert page_errors.csp == [], page_errors.csp


@pytest.fixture
def page(browser: Browser, page_errors: PageErrors) -> Iterator[Page]:
    with watched_page(browser, page_errors) as opened:
        yield opened
