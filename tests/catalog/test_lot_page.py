"""The lot page: what a consumer must see, and a query count that does not grow with the events."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Lot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Measure the page itself, not cms.cache's copy of it for cookie-less visitors.
    settings.PAGE_CACHE_ENABLED = False


def count_queries(client, url):
    client.get(url)  # warm up: thumbnails and image renditions are made on first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def test_query_count_is_the_same_for_3_and_60_events(client, make_product, make_lot):
    product = make_product("02000000000992")
    upstream = make_lot(product, "T-UP", 2)
    small = make_lot(product, "T-SMALL", 3, input_lot=upstream)
    large = make_lot(product, "T-LARGE", 60, input_lot=upstream)
    n_small, small_page = count_queries(client, small.get_absolute_url())
    n_large, large_page = count_queries(client, large.get_absolute_url())
    assert small_page.content.decode().count('class="timeline__event') == 3 + 2
    assert large_page.content.decode().count('class="timeline__event') == 60 + 2
    assert n_small == n_large, (n_small, n_large)


def test_lot_page_shows_what_a_consumer_must_see(client, demo_lot):
    response = client.get(demo_lot.get_absolute_url())
    html = response.content.decode()
    product = demo_lot.product
    assert product.get_title() in html and "trace-facts__image" in html  # product name and image
    assert product.cooperative.name in html and product.cooperative.address in html  # producer and address
    assert demo_lot.code in html and product.gtin in html  # code
    assert "Hạn sử dụng" in html  # shelf life
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00">', html)  # event times with offset
    assert html.count('class="timeline__event') == demo_lot.events.count()
    assert "Chứng nhận khi đó:" in html  # certificates valid at each event
    assert "DEMO-EU-BGM-0001" in html and "SHA-256" in html  # standards applied, documents
    assert "data-zone-map" in html and 'data-lat="12.05"' in html  # zones, coarse coordinates, map
    assert "recall-banner" not in html


def test_recall_banner(client):
    lot = Lot.objects.get(status=Lot.Status.RECALLED)
    html = client.get(lot.get_absolute_url()).content.decode()
    assert 'class="recall-banner" role="alert"' in html
    assert "Lô hàng này đang bị thu hồi" in html
    assert lot.status_note in html


def test_on_hold_notice(client):
    lot = Lot.objects.get(status=Lot.Status.ON_HOLD)
    html = client.get(lot.get_absolute_url()).content.decode()
    assert "Lô hàng đang tạm giữ" in html


def test_timeline_shows_the_input_lots_events(client):
    gift = Lot.objects.get(code="DEMO-BGM06-A")
    html = client.get(gift.get_absolute_url()).content.decode()
    assert "timeline__event--upstream" in html
    assert "DEMO-BGM01-A" in html


def test_lot_page_in_english(client, demo_lot):
    response = client.get(f"/en{demo_lot.get_absolute_url()}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert demo_lot.product.title_en in html


def test_lot_page_loads_nothing_from_other_hosts(client, demo_lot):
    html = client.get(demo_lot.get_absolute_url()).content.decode()
    assert not re.search(r'(src|href)="https?://(?!testserver)', html.replace('href="https://nongsanviet', ""))
    assert "/static/catalog/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "<script>" not in html and "style=" not in html


def test_label_sheet(client, demo_lot):
    html = client.get(f"/truy-xuat/lo/{demo_lot.pk}/nhan/").content.decode()
    assert html.count('class="label"') == 21
    assert f"/truy-xuat/lo/{demo_lot.pk}/qr.svg" in html
    assert demo_lot.best_before.strftime("%d/%m/%Y") in html
    assert "catalog/labels.css" in html


def test_lot_certificates_page(client, demo_lot):
    html = client.get(f"/truy-xuat/lo/{demo_lot.pk}/chung-nhan/").content.decode()
    assert "DEMO-EU-BGM-0001" in html


def test_a_variants_lot_shows_the_certificates_and_zones_its_parent_claims(client, bgm, make_product):
    """Certificates and origin zones are claimed on the parent's page; a lot of the 500 g variant shows them."""
    from catalog.models import Certification, RawMaterialZone

    parent = make_product("", title="Điều rang muối thử biến thể", structure="parent")
    variant = type(parent).objects.create(
        parent=parent, structure="child", title="Điều rang muối thử biến thể – 500 g", upc="T-VAR-LOT-500"
    )
    variant.gtin = "02001000088881"
    variant.save()
    certificate = Certification.objects.filter(cooperative=bgm).exclude(kind="ocop").first()
    zone = RawMaterialZone.objects.filter(cooperative=bgm).last()
    parent.certifications.set([certificate])
    parent.origin_zones.set([zone])
    lot = Lot.objects.create(product=variant, code="T-VAR-LOT")

    html = client.get(lot.get_absolute_url()).content.decode()
    assert certificate.number in html
    product_page = client.get(reverse("trace:product", kwargs={"pk": variant.pk})).content.decode()
    assert certificate.number in product_page and zone.code in product_page
    # The parent's trace page lists its variants' lots, each with its pack size.
    parent_page = client.get(reverse("trace:product", kwargs={"pk": parent.pk})).content.decode()
    assert "T-VAR-LOT" in parent_page and "Điều rang muối thử biến thể – 500 g" in parent_page
