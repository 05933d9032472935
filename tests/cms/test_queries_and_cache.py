"""Listings make the same number of queries for 4 products as for 40; pages are cached and invalidated."""

import gzip

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from cms.models import CollectionPage, HomePage
from tests.factories import create_product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def many_products():
    existing = list(Product.objects.browsable().order_by("pk").values_list("pk", flat=True))
    extra = [
        create_product(title=f"Hạt điều mẫu số {i}", price=100000 + i * 1000).pk for i in range(40 - len(existing))
    ]
    return existing + extra


def _queries(client, url):
    client.get(url)  # warm: thumbnails and renditions are made once, then reused
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def _set_grid(page, ids):
    page.body = [{"type": "product_grid", "value": {"heading": "Lưới", "products": ids}}]
    page.save_revision().publish()


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False  # the test settings' default, said out loud


def test_home_same_queries_for_4_and_40_products(client, many_products, no_page_cache):
    home = HomePage.objects.get(locale__language_code="vi")
    _set_grid(home, many_products[:4])
    four, response = _queries(client, "/")
    assert response.content.decode().count('class="product-card"') == 4
    _set_grid(home, many_products[:40])
    forty, response = _queries(client, "/")
    assert response.content.decode().count('class="product-card"') == 40
    assert four == forty


@pytest.mark.parametrize("mode", [CollectionPage.CURATED, CollectionPage.RULE])
def test_collection_same_queries_for_4_and_40_products(client, many_products, no_page_cache, mode):
    page = CollectionPage.objects.get(slug="qua-tet")
    page.mode = mode
    page.curated_products = [{"type": "product", "value": pk} for pk in many_products[:4]]
    page.rule_category = None
    page.save_revision().publish()
    if mode == CollectionPage.RULE:  # 4 products: hide all but four
        Product.objects.exclude(pk__in=many_products[:4]).update(is_public=False)
    four, response = _queries(client, page.url)
    assert response.content.decode().count('class="product-card"') == 4
    page.curated_products = [{"type": "product", "value": pk} for pk in many_products[:40]]
    page.paginate_by = 48
    page.save_revision().publish()
    Product.objects.filter(pk__in=many_products).update(is_public=True)
    CollectionPage.paginate_by = 48
    try:
        forty, response = _queries(client, page.url)
    finally:
        CollectionPage.paginate_by = 24
    assert response.content.decode().count('class="product-card"') == 40
    assert four == forty


def test_catalogue_listing_queries_do_not_grow(client, many_products, no_page_cache):
    few, _ = _queries(client, "/shop/catalogue/?max_price=110000")
    many, _ = _queries(client, "/shop/catalogue/")
    assert few == many


def test_anonymous_page_is_cached_and_invalidated_on_publish_and_price_change(client, page_cache):
    first = client.get("/qua-tet/")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/qua-tet/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content

    page = CollectionPage.objects.get(slug="qua-tet")
    page.intro = "Giới thiệu đã sửa."
    page.save_revision().publish()
    response = client.get("/qua-tet/")
    assert response["X-Page-Cache"] == "miss" and "Giới thiệu đã sửa." in response.content.decode()

    client.get("/qua-tet/")
    record = StockRecord.objects.get(partner_sku="DEMO-HCDN-HQ-TET")
    record.price = 399000
    record.save()
    response = client.get("/qua-tet/")
    assert response["X-Page-Cache"] == "miss" and "399.000" in response.content.decode()


def test_stock_allocation_invalidates(client, page_cache):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    StockRecord.objects.get(partner_sku="DEMO-BGM-RM-500").allocate(1)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_visitor_with_session_or_basket_is_not_served_from_cache(client, admin_client, page_cache):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in admin_client.get("/")
    client.cookies["oscar_open_basket"] = "1:abc"
    assert "X-Page-Cache" not in client.get("/")


@pytest.mark.parametrize(
    "url", ["/", "/en/", "/qua-tet/", "/hop-tac-xa/htx-bu-gia-map/", "/shop/catalogue/", "/search/?q=dieu"]
)
def test_anonymous_pages_set_no_session_cookie(client, url, page_cache):
    from django.conf import settings

    for _ in range(2):  # cold and cached
        response = client.get(url)
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert "oscar_open_basket" not in response.cookies


def test_product_page_cached_keeps_a_valid_csrf_token(client, page_cache):
    product = Product.objects.get(upc="DEMO-BGM-RM-500")
    url = product.get_absolute_url()
    client.get(url)
    other = type(client)(enforce_csrf_checks=True)
    response = other.get(url)
    assert response.get("X-Page-Cache") == "hit"
    html = response.content.decode()
    assert "__csrf_token_placeholder__" not in html
    import re

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if token:  # the add-to-basket form works with the visitor's own token
        added = other.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token.group(1)})
        assert added.status_code == 302


# The top layer: finished responses of pages that are the same bytes for everyone
# ------------------------------------------------------------------------------
def test_a_page_without_a_form_is_served_finished_without_the_stack_below(client, page_cache, monkeypatch):
    from cms.cache import AnonymousPageCacheMiddleware

    cold = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert cold["X-Page-Cache"] == "miss" and cold["Content-Encoding"] == "gzip"

    def deep_layer_must_not_run(self, request):
        raise AssertionError("the request reached the deep layer")

    monkeypatch.setattr(AnonymousPageCacheMiddleware, "__call__", deep_layer_must_not_run)
    hit = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Page-Cache"] == "hit" and hit.content == cold.content
    # Everything the stack below added is kept: compression, validator, caching and framing headers.
    for header in ("Content-Encoding", "ETag", "Cache-Control", "Content-Security-Policy", "Vary"):
        assert hit[header] == cold[header], header
    # The validator still works: a 304 without a body.
    assert client.get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=cold["ETag"]).status_code == 304


def test_each_accepted_encoding_gets_its_own_finished_bytes(client, page_cache):
    client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get("/")
    assert "Content-Encoding" not in plain and b"<html" in plain.content


def test_a_page_with_a_form_is_served_from_the_top_layer_with_each_visitors_own_token(client, page_cache, monkeypatch):
    import re

    from cms.cache import AnonymousPageCacheMiddleware

    product = Product.objects.get(upc="DEMO-BGM-RM-500")
    url = product.get_absolute_url()
    cold = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert cold["X-Page-Cache"] == "miss"

    def deep_layer_must_not_run(self, request):
        raise AssertionError("the request reached the deep layer")

    monkeypatch.setattr(AnonymousPageCacheMiddleware, "__call__", deep_layer_must_not_run)
    visitors = [type(client)(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        response = visitor.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["X-Page-Cache"] == "hit" and response["Content-Encoding"] == "gzip"
        assert "private" in response["Cache-Control"] and "ETag" not in response
        html = gzip.decompress(response.content).decode()
        assert "__csrf_token_placeholder__" not in html
        assert settings.CSRF_COOKIE_NAME in response.cookies and "oscar_history" in response.cookies
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert tokens[0] != tokens[1]
    monkeypatch.undo()
    # Each visitor's own token works (and the other's does not).
    data = {"quantity": 1}
    assert (
        visitors[0].post(f"/shop/basket/add/{product.pk}/", {**data, "csrfmiddlewaretoken": tokens[0]}).status_code
        == 302
    )
    assert (
        visitors[1].post(f"/shop/basket/add/{product.pk}/", {**data, "csrfmiddlewaretoken": "x" * 64}).status_code
        == 403
    )


def test_addresses_with_a_query_string_never_reach_the_top_layer(client, page_cache):
    from django.core.cache import cache

    for url in ("/?hoi_cho=DEMO-OCOPDN", "/shop/catalogue/?page=1"):
        type(client)().get(url)
        type(client)().get(url)
    assert not [k for k in cache._cache if ":finished:" in k]  # LocMemCache's own dict: what was stored
    type(client)().get("/")
    assert [k for k in cache._cache if ":finished:" in k]


def test_a_purge_drops_the_finished_copy_too(client, page_cache):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    StockRecord.objects.get(partner_sku="DEMO-BGM-RM-500").allocate(1)
    assert client.get("/")["X-Page-Cache"] == "miss"
