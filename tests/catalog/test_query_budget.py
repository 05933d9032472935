"""Query budgets at catalogue scale: the product page and the listing with 10,000 products (issue #8).

Counts are for an uncached request (page cache off), after one warm-up request that makes the
thumbnails; the budget is what the page may cost whatever the size of the catalogue. Each page is
counted twice: cold, with none of its facet, card or product-page fragments kept (only the header
and footer, the same on every page), which must stay within the budget; and warm, where those
fragments save most of it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.factories import bulk_create_products

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
PRODUCT_PAGE_BUDGET = 12
LISTING_BUDGET = 15
# With the fragments kept (measured 6 and 4): the product with its images, stock and attributes, its
# view count and the test client's recently viewed list; the listing's count and page of ids, and the
# site and category list its header and filters read.
PRODUCT_PAGE_WARM = 6
LISTING_WARM = 5


@pytest.fixture(scope="module")
def ten_thousand_products(django_db_setup, django_db_blocker):
    """10,000 more public products, committed once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        ids = bulk_create_products(10_000)
    yield ids
    with django_db_blocker.unblock():
        # Straight DELETEs: the ORM's cascade collector takes minutes over 10,000 products.
        for model in (get_model("catalogue", "ProductCategory"), get_model("partner", "StockRecord")):
            model.objects.filter(product_id__in=ids)._raw_delete(using="default")
        Product.objects.filter(pk__in=ids)._raw_delete(using="default")


@pytest.fixture(autouse=True)
def production_caches(settings):
    """As in production: the header menu and footer come from the cache (the page cache stays off)."""
    from django.core.cache import cache

    settings.SITE_CHROME_CACHE = True
    cache.clear()
    yield
    cache.clear()


def _queries(client, url, cold=False):
    from django.core.cache import caches

    client.get(url)
    if cold:
        # Forget this page's fragments (the thumbnails' own cache keeps the files it made), then let
        # another page put the header and footer back: those are the same on every page.
        caches["default"].clear()
        caches["fragments"].clear()
        client.get("/shop/basket/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), [q["sql"] for q in ctx.captured_queries], response


def test_product_page_within_budget(client):
    product = Product.objects.browsable().filter(is_public=True, images__isnull=False).order_by("pk").first()
    count, sql, response = _queries(client, product.get_absolute_url(), cold=True)
    assert b"product-gallery__main" in response.content
    assert count <= PRODUCT_PAGE_BUDGET, "\n".join(sql)
    warm, sql, again = _queries(client, product.get_absolute_url())
    assert warm <= PRODUCT_PAGE_WARM, "\n".join(sql)
    # The kept fragments are the page's: the same gallery, trace badges and JSON-LD.
    for part in (b"product-gallery__main", b"trace-summary", b"application/ld+json", b"product_description"):
        assert part in again.content


@pytest.mark.parametrize(
    "query",
    ["", "?page=200", "?sort=price-asc", "?cooperative=bugiamap&min_price=150000&max_price=170000"],
)
def test_listing_of_10000_products_within_budget(client, ten_thousand_products, query):
    count, sql, response = _queries(client, f"/shop/catalogue/{query}", cold=True)
    cards = response.content.decode().count('class="product-card"')
    assert cards > 0
    assert count <= LISTING_BUDGET, "\n".join(sql)
    warm, sql, again = _queries(client, f"/shop/catalogue/{query}")
    assert warm <= LISTING_WARM, "\n".join(sql)
    assert again.content.decode().count('class="product-card"') == cards
