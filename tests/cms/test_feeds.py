"""Product feeds: JSON matches our schema, CSV matches the JSON, both follow price and stock, any origin may GET."""

import csv
import io

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from cms.feeds import CSV_COLUMNS, schema
from cms.models import TradeFairPage
from tests.factories import create_product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    """Expected URLs are built in Vietnamese, whatever language an earlier request left active."""


def _feed(client, **params):
    response = client.get("/feeds/products.json", params)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    jsonschema.validate(data, schema(), format_checker=jsonschema.FormatChecker())
    return data


def _by_id(data):
    return {item["id"]: item for item in data["products"]}


def test_json_feed_lists_every_public_product_and_matches_the_schema(client):
    data = _feed(client)
    public = set(Product.objects.browsable().values_list("pk", flat=True))
    assert set(_by_id(data)) == public and public
    item = next(i for i in data["products"] if i["gtin"] and i["ocop_stars"])
    product = Product.objects.get(pk=item["id"])
    assert item["title_vi"] == product.title and item["title_en"] == (product.title_en or None)
    assert item["product_url"] == f"http://testserver{product.get_absolute_url()}"
    assert item["product_url_en"] == f"http://testserver/en{product.get_absolute_url()}"
    assert isinstance(item["price_vnd"], int) and item["stock_status"] in ("in_stock", "out_of_stock")


def test_feed_follows_price_and_stock_changes(client):
    product = create_product(title="Hạt điều theo dõi giá", price=250000, num_in_stock=2)
    item = _by_id(_feed(client))[product.pk]
    assert (item["price_vnd"], item["stock_status"]) == (250000, "in_stock")
    record = StockRecord.objects.get(product=product)
    record.price = 265000
    record.save()
    record.allocate(2)
    item = _by_id(_feed(client))[product.pk]
    assert (item["price_vnd"], item["stock_status"]) == (265000, "out_of_stock")
    Product.objects.filter(pk=product.pk).update(is_public=False)
    assert product.pk not in _by_id(_feed(client))


def test_fair_feed_lists_the_fairs_products_in_order(client):
    fair = TradeFairPage.objects.get(slug="hoi-cho-ocop-dong-nai", locale__language_code="vi")
    ids = [b["value"] for b in fair.featured_products.raw_data]
    data = _feed(client, fair=fair.code)
    assert data["fair"] == fair.code == "DEMO-OCOPDN"
    assert [i["id"] for i in data["products"]] == ids
    # The code is the fair's, in any case; the page's slug is not a code.
    assert _feed(client, fair=fair.code.lower())["fair"] == fair.code
    assert client.get("/feeds/products.json", {"fair": fair.slug}).status_code == 404
    assert client.get("/feeds/products.json", {"fair": "khong-co"}).status_code == 404
    assert client.get("/feeds/products.csv", {"fair": "khong-co"}).status_code == 404


def test_csv_has_the_same_rows_as_json(client):
    response = client.get("/feeds/products.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0].keys()) == CSV_COLUMNS
    items = _by_id(_feed(client))
    assert {int(r["id"]) for r in rows} == set(items)
    for row in rows:
        item = items[int(row["id"])]
        assert row["title_vi"] == item["title_vi"]
        assert row["price_vnd"] == ("" if item["price_vnd"] is None else str(item["price_vnd"]))
        assert row["certificates"] == "|".join(f"{c['kind']}:{c['number']}:{c['status']}" for c in item["certificates"])


def test_feed_queries_do_not_grow_with_products(client):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/feeds/products.json")
        return len(ctx)

    before = queries()
    for i in range(8):
        create_product(title=f"Hạt điều nguồn cấp {i}", price=120000 + i)
    assert queries() == before


def test_feeds_are_get_only_and_set_no_cookies(client):
    for url in ("/feeds/products.json", "/feeds/products.csv"):
        assert not client.get(url).cookies
        assert client.post(url).status_code == 405
