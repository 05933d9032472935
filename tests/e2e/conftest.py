"""Browser journeys in Debian's Chromium, driven by Playwright (never a downloaded browser).

Without Chromium each browser test is skipped with a reason naming it, and pytest's `-ra`
summary lists them. CI installs Chromium, so there every browser test runs.
"""

import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls in the same
# thread (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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
def demo_live_server(django_db_serialized_rollback, live_server, django_db_blocker):
    """A live server with the demo data.

    Live-server tests are transactional: the database is flushed after each one, so the data the
    migrations made (Wagtail's root page, locales) is restored by serialized rollback and the demo
    data is seeded again.
    """
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    return live_server
