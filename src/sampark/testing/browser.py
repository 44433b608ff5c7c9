"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

`browser` is one headless Chromium per test process (per xdist worker); `page` is a fresh
context per test (own cookies and session), opened on the live server, 1366x768 unless the
test's marker says otherwise (`mobile`: a phone's meta-viewport handling and touch, for tap()):

    @pytest.mark.browser(viewport=(375, 700), mobile=True, javascript=False, locale="en-IN")
    def test_...(page, net): page.goto("/chat/") ...

Every browser test carries the `browser` marker (`pytest -m browser` selects them). Playwright
cannot download browsers here (DESIGN 8): without /usr/bin/chromium the tests fail and say to
run `make browser`, never skip, so a machine without it cannot pass CI by accident.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connections

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = (1366, 768)
LOCALE = "hi-IN"  # the site's first language, as most of its visitors' browsers ask for it
TIMEOUT_MS = 10_000  # Playwright's 30 s default only makes a failing test slow


class _Loop:
    """Playwright's sync API marks its event loop as running in the calling thread between
    calls. Left so, every later test in the process sees "a running event loop": Django refuses
    ORM calls (SynchronousOnlyOperation), keeps its connections in another store (asgiref's
    Local switches to context-local storage) and asyncio.run() refuses to start. So the loop is
    hidden while no browser test runs and shown again before Playwright is used."""

    def __init__(self) -> None:
        self.loop = asyncio.events._get_running_loop()

    def hide(self) -> None:
        asyncio.events._set_running_loop(None)

    def show(self) -> None:
        asyncio.events._set_running_loop(self.loop)


_loops: dict[int, _Loop] = {}  # by id() of the browser they drive


def _requests_finish(timeout: float = 5.0) -> None:
    """Wait for the live server's request threads: closing the browser's context closes its
    kept-alive connections, and a thread still finishing one would touch the database while the
    test's data is flushed, or after the live server stopped sharing SQLite's connection."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The test process's Chromium (headless); open contexts with `page` rather than by hand."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}: run `make browser` "
            "(apt-get install chromium fonts-noto-core).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright  # only tests import Playwright

    playwright = sync_playwright().start()
    loop = _Loop()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except BaseException:
        playwright.stop()
        raise
    _loops[id(chromium)] = loop
    loop.hide()
    yield chromium
    loop.show()
    del _loops[id(chromium)]
    try:
        chromium.close()
    finally:
        playwright.stop()
        _requests_finish()


@pytest.fixture
def page(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new page in its own browser context, its base URL the live server's.

    The test fails if the page raised a JavaScript error. Between Playwright calls its event
    loop counts as running, so the test's own ORM calls are allowed for the test's duration
    (DJANGO_ALLOW_ASYNC_UNSAFE): that loop only drives the browser, no Django code runs on it.
    """
    marker = request.node.get_closest_marker("browser")
    if marker is None:
        pytest.fail("Mark browser tests with @pytest.mark.browser.", pytrace=False)
    width, height = marker.kwargs.get("viewport", VIEWPORT)
    loop = _loops[id(browser)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        loop.show()
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            java_script_enabled=marker.kwargs.get("javascript", True),
            locale=marker.kwargs.get("locale", LOCALE),
            is_mobile=marker.kwargs.get("mobile", False),
            has_touch=marker.kwargs.get("mobile", False),
        )
        context.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        opened = context.new_page()
        opened.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield opened
        finally:
            context.close()
            _requests_finish()
            # The test's own queries ran on connections of the loop's store: close them while
            # it is still shown, or they stay open (PostgreSQL then cannot drop the test DB).
            connections.close_all()
            loop.hide()
    if errors:
        pytest.fail(f"JavaScript errors on the page: {errors}", pytrace=False)
