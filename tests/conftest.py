"""Shared fixtures: the demo data is built once per test session and rolled back per test."""

import pytest
from django.core.management import call_command

# Payment fixtures: the run's own localstripe (`localstripe`, `stripe_local`, `card_token`) and
# `migration_data` for transactional tests that run after a browser test.
pytest_plugins = ["tests.payment_fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Vietnamese. A test-client request to /en/ leaves English active in the test
    thread (LocaleMiddleware never deactivates), and the next test's reverse() would then add /en/."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def vi(settings):
    """Activate Vietnamese for code that formats outside a request."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def en():
    from django.utils import translation

    with translation.override("en"):
        yield
