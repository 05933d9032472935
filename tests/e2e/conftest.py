"""Browser journeys in Debian's Chromium, driven by Playwright (never a downloaded browser).

Without Chromium each browser test is skipped with a reason naming it, and pytest's `-ra`
summary lists them. CI installs Chromium, so there every browser test runs.

Each journey is a transactional test against a live server (whose threads have their own database
connections on PostgreSQL). It starts from the migrations' data plus the demo, restored by
serialized rollback from the snapshot `tests/conftest.py` takes after seeding, and the database is
emptied after it: no journey sees another's orders, accounts or stock.
"""

import contextlib
import os
import shutil

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="browser test skipped: Debian's chromium is not installed (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@contextlib.contextmanager
def playwright_keeping_django_connections():
    """Playwright's sync API, with this thread's Django connections kept while its loop runs.

    Playwright leaves its asyncio loop marked as running in the main thread. Django then takes the
    thread for async code: ORM calls raise SynchronousOnlyOperation, and `connections` (asgiref's
    thread-critical Local) switches to context-local storage, where the test thread would get a
    second, fresh connection. That one lacks what the test-database setup attached to the first
    (the snapshot serialized rollback restores): browser tests and the transactional tests after
    them were silently not restored, and on PostgreSQL reloading by hand left sequences behind the
    rows it inserted (duplicate keys while re-seeding).

    Test code between Playwright calls is synchronous and runs in this one thread, so it may use
    the ORM, through the connections it had before the loop started.
    """
    from playwright.sync_api import sync_playwright

    before = {alias: connections[alias] for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in before.items():
                connections[alias] = connection
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser journeys; Playwright's loop lives only as long as they run."""
    with playwright_keeping_django_connections() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test; console errors are collected on `page.console_errors`."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def demo_live_server(request, django_db_serialized_rollback, live_server):
    """A live server with the demo data: the migrations' data and the demo, as every test starts.

    Browser tests are transactional (the live server's threads must see what the test writes and
    the other way round): serialized rollback restores the seeded database before each one and
    it is emptied after it.
    """
    from oscar.core.loading import get_model

    if not hasattr(connections["default"], "_test_serialized_contents"):
        pytest.fail(
            f"{request.node.nodeid}: mark browser tests "
            "pytest.mark.django_db(transaction=True, serialized_rollback=True), or they start from an empty database"
        )
    if not get_model("catalogue", "Product").objects.filter(upc__startswith="DEMO-").exists():
        pytest.fail("the demo data was not restored before this browser test")
    return live_server
