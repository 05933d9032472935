"""Shared fixtures: the demo data is built once per test session, and every test starts from it.

Ordinary tests run in a transaction that is rolled back. Transactional tests (browser journeys,
row-lock tests) commit for real; they are marked `serialized_rollback=True`, so Django restores the
snapshot taken here (the migrations' data and the demo) before each one and empties the database
after it.
"""

import os
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connections

# Payment fixtures: the run's own localstripe (`localstripe`, `stripe_local`, `card_token`).
pytest_plugins = ["tests.payment_fixtures"]

SEEDED = pytest.StashKey[dict]()


def row_counts(connection):
    """Rows in each of Django's tables: {table name: count}."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def stock_levels():
    """{stock record id: (in stock, allocated)}: what checkouts change without adding rows."""
    from oscar.core.loading import get_model

    records = get_model("partner", "StockRecord").objects.values_list("pk", "num_in_stock", "num_allocated")
    return {pk: (in_stock, allocated or 0) for pk, in_stock, allocated in records}


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
        # Django serialised the database for serialized rollback right after the migrations (only
        # when some test asks for it). Serialise it again with the demo: restoring rows is two to
        # five times quicker than seeding again, and it gives back the very same rows and ids.
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
                if connection.alias == "default":
                    request.config.stash[SEEDED] = {"rows": row_counts(connection), "stock": stock_levels()}


@pytest.fixture(scope="session", autouse=True)
def restore_snapshot_unaudited():
    """Restoring the snapshot between transactional tests is nobody's change: the audit log stays quiet.

    Django restores rows with raw saves (which auditlog skips) but sets many-to-many fields through
    their managers, which auditlog would log as new changes on every restore.
    """
    from auditlog.context import disable_auditlog
    from django.db.backends.base.creation import BaseDatabaseCreation

    restore = BaseDatabaseCreation.deserialize_db_from_string

    def unaudited(self, data):
        with disable_auditlog():
            return restore(self, data)

    with mock.patch.object(BaseDatabaseCreation, "deserialize_db_from_string", unaudited):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: rolling the database back does not reach it."""
    from django.core.cache import caches

    from cms.cache import forget_local

    for alias in ("default", "thumbnails", "fragments"):
        caches[alias].clear()
    forget_local()
    yield


@pytest.fixture
def page_cache(settings):
    """The whole-page cache on (the test settings keep it off), from an empty cache and back to one."""
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded_state(request):
    """Row counts and stock levels of the freshly seeded database (when the run has transactional tests)."""
    return request.config.stash.get(SEEDED, None)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Vietnamese. A test-client request to /en/ leaves English active in the test
    thread (LocaleMiddleware never deactivates), and the next test's reverse() would then add /en/."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


# THE DEMO'S COOPERATIVES AND THEIR ACCOUNTS
# ------------------------------------------------------------------------------
@pytest.fixture
def bgm():
    """HTX Nông nghiệp Bù Gia Mập (the demo account `bugiamap` is its staff)."""
    from catalog.models import Cooperative

    return Cooperative.objects.get(partner__code="bugiamap")


@pytest.fixture
def hcdn():
    """HTX Nông nghiệp hữu cơ Đồng Nai (the demo account `huucodongnai` is its manager)."""
    from catalog.models import Cooperative

    return Cooperative.objects.get(partner__code="huucodongnai")


@pytest.fixture
def clerk(django_user_model):
    """Bù Gia Mập's staff account ("Nhân viên HTX")."""
    return django_user_model.objects.get(username="bugiamap")


@pytest.fixture
def manager(django_user_model):
    """Đồng Nai's manager account ("Quản lý HTX")."""
    return django_user_model.objects.get(username="huucodongnai")


@pytest.fixture
def clerk_client(client, clerk):
    """The test client signed in as Bù Gia Mập's staff account."""
    client.force_login(clerk)
    return client


@pytest.fixture
def manager_client(client, manager):
    """The test client signed in as Đồng Nai's manager account."""
    client.force_login(manager)
    return client


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
