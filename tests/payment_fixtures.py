"""Test fixtures for payments: a localstripe of the run's own, and the migrations' data after browser tests.

Fixtures:
    localstripe     the server (session), started on first use
    stripe_local    settings pointing the shop at it (keys, API base, webhook secret), per test
    card_token      a function: card number -> payment method id, as Stripe.js would produce
    migration_data  for transactional tests after browser tests: the migrations' data is there
"""

import json
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command

from shop.payment.localstripe_server import LocalStripe

WEBHOOK_SECRET = "whsec_test_localstripe"


@pytest.fixture(scope="session", autouse=True)
def _migration_snapshot(request):
    """The test database as the migrations left it, serialised by Django at setup (or None).

    Taken at the first test, before any browser runs: once Playwright's event loop runs in the main
    thread, Django's `connections` hands out another connection object (asgiref's context-local
    storage), which lacks this snapshot, so serialised rollbacks silently stop restoring.
    """
    uses_db = any(
        item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        for item in request.session.items
    )
    if not uses_db:
        return None
    from django.db import connections

    request.getfixturevalue("django_db_setup")
    return getattr(connections["default"], "_test_serialized_contents", None)


@pytest.fixture
def migration_data(_migration_snapshot, django_db_blocker):
    """Make sure the migrations' data (root page and collection, Vietnam, sites) is in the database.

    For transactional tests that run after a browser test: restore it if the rollback could not, and
    hand the snapshot to the current connection so that later tests restore it themselves.
    """
    from django.db import connections
    from oscar.core.loading import get_model

    connection = connections["default"]
    if _migration_snapshot is None or hasattr(connection, "_test_serialized_contents"):
        return
    connection._test_serialized_contents = _migration_snapshot
    with django_db_blocker.unblock():
        if not get_model("address", "Country").objects.exists():
            # Empty it first: the last flush re-ran post_migrate (content types, permissions, site).
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(_migration_snapshot)


@pytest.fixture(scope="session")
def localstripe():
    server = LocalStripe.start()
    yield server
    server.stop()


@pytest.fixture
def stripe_local(settings, localstripe):
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe.url
    return localstripe


@pytest.fixture
def card_token(localstripe):
    """Turn a test card number into the id the checkout posts (what the fake Stripe.js does)."""

    def make(number="4242424242424242"):
        data = urllib.parse.urlencode(
            {
                "card[number]": number.replace(" ", ""),
                "card[exp_month]": "12",
                "card[exp_year]": "2030",
                "card[cvc]": "123",
                "key": "pk_test_localstripe",
            }
        ).encode()
        with urllib.request.urlopen(localstripe.url + "/v1/tokens", data, timeout=10) as response:
            return json.loads(response.read())["card"]["id"]

    return make
