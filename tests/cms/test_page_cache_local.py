"""Each app server's own copy of recent pages (cms.cache, PAGE_CACHE_LOCAL_SECONDS)."""

from unittest import mock

import pytest
from django.core.cache import cache

from cms import cache as page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_copy(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_LOCAL_SECONDS = 2
    cache.clear()
    page_cache.forget_local()
    yield
    page_cache.forget_local()
    cache.clear()


def test_a_popular_page_is_served_without_a_cache_round_trip(client, local_copy):
    assert client.get("/")["X-Page-Cache"] == "miss"
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as shared:
        assert client.get("/")["X-Page-Cache"] == "hit"
        assert client.get("/")["X-Page-Cache"] == "hit"
    assert shared.call_count == 0


def test_a_purge_in_this_process_shows_at_once(client, local_copy):
    client.get("/")
    page_cache.invalidate()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_another_servers_purge_shows_within_the_local_seconds(client, local_copy):
    client.get("/")
    client.get("/")
    cache.incr(page_cache.VERSION_KEY)  # what another app server's invalidate() does to Redis
    assert client.get("/")["X-Page-Cache"] == "hit"  # still this process' copy, for at most 2 s
    later = page_cache.time.monotonic() + 2.5
    with mock.patch.object(page_cache.time, "monotonic", return_value=later):
        assert client.get("/")["X-Page-Cache"] == "miss"


def test_switched_off_every_request_asks_the_shared_cache(client, local_copy, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    client.get("/")
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as shared:
        assert client.get("/")["X-Page-Cache"] == "hit"
    assert shared.call_count == 1
