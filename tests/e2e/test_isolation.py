"""Browser journeys are isolated: each starts from the seeded database, whatever the ones before did.

Playwright's event loop runs in the test thread here, as in every journey; that is what once gave the
test thread a second database connection, without the snapshot serialized rollback restores.
"""

import asyncio

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from oscar.core.loading import get_model
from wagtail.models import Locale

from tests.conftest import row_counts, stock_levels
from tests.factories import create_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What the journeys write: orders, baskets, payments, accounts, addresses (and stock, below).
JOURNEY_MODELS = [
    ("order", "Order"),
    ("order", "Line"),
    ("basket", "Basket"),
    ("payment", "PaymentAttempt"),
    ("payment", "StripePayment"),
    ("payment", "Source"),
    ("address", "UserAddress"),
]


def test_each_journey_starts_from_the_seeded_database(browser, seeded_state):
    asyncio.get_running_loop()  # Playwright's loop is running in this thread (raises otherwise).
    assert hasattr(connection, "_test_serialized_contents")
    # The journeys before this one (in a whole run) left no orders, accounts or stock changes behind.
    tables = [get_model(app, name)._meta.db_table for app, name in JOURNEY_MODELS]
    tables.append(get_user_model()._meta.db_table)
    now = row_counts(connection)
    assert {table: now[table] for table in tables} == {table: seeded_state["rows"][table] for table in tables}
    assert stock_levels() == seeded_state["stock"]

    # What happens between two journeys, done by hand: empty every table, restore the snapshot.
    get_user_model().objects.create_user("tam", "tam@example.org", "pw-tam-12345")
    call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    assert row_counts(connection) == seeded_state["rows"]
    assert stock_levels() == seeded_state["stock"]
    # New rows get new ids (on PostgreSQL a sequence behind the restored rows gives duplicate keys).
    Locale.objects.create(language_code="fr")
    get_user_model().objects.create_user("tam", "tam@example.org", "pw-tam-12345")
    assert create_product(title="Hạt điều sau khi khôi phục", num_in_stock=3).stockrecords.get().num_in_stock == 3
