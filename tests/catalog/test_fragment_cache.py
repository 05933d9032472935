"""The parts of the product page and the listing's cards kept for every visitor drop on a change.

The page cache is off here (as for a signed-in customer or one with a basket): what is kept is the
product page's fragments (templates/oscar/catalogue/detail.html) and the rendered cards
(catalog.browse.product_cards), under the page cache's version.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.factories import create_product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Certification = get_model("catalogue", "Certification")


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def test_product_page_fragments_are_kept_and_dropped_when_the_product_changes(client):
    product = create_product(title="Điều rang muối thử", description="<p>Mô tả cũ</p>")
    url = product.get_absolute_url()
    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert "Mô tả cũ" in second and warm < cold
    product.description = "<p>Mô tả mới</p>"
    product.save()
    html, _ = _get(client, url)
    assert "Mô tả mới" in html and "Mô tả cũ" not in html


def test_a_new_certificate_shows_on_the_product_page_at_once(client, bgm):
    product = create_product(title="Điều hữu cơ thử", cooperative=bgm)
    url = product.get_absolute_url()
    _get(client, url)
    assert "DEMO-TEST-VG-1" not in _get(client, url)[0]
    certificate = Certification.objects.create(
        kind="vietgap",
        number="DEMO-TEST-VG-1",
        certifying_body="Tổ chức chứng nhận mẫu",
        cooperative=bgm,
        product=product,
        valid_from=date.today() - timedelta(days=10),
        expires_on=date.today() + timedelta(days=300),
    )
    html, _ = _get(client, url)
    assert certificate.get_absolute_url() in html


def test_fragments_follow_the_language(client):
    product = create_product(title="Điều rang thử", title_en="Test roasted cashews")
    product.description, product.description_en = "<p>Hạt điều rang</p>", "<p>Roasted cashews</p>"
    product.save()
    _get(client, product.get_absolute_url())
    english, _ = _get(client, "/en" + product.get_absolute_url())
    assert "Roasted cashews" in english and "Hạt điều rang" not in english  # the meta description too
    assert "<title>Test roasted cashews | " in english and english.count("Test roasted cashews |") == 1


def test_listing_cards_are_kept_and_show_a_new_price(client):
    product = create_product(title="Điều giá thử", price=123000)
    StockRecord.objects.filter(product=product).update(price=123000)
    url = "/shop/catalogue/?q=&cooperative=bugiamap&sort=newest"
    html, cold = _get(client, url)
    assert "123.000" in html
    again, warm = _get(client, url)
    assert warm < cold and again.count('class="product-card"') == html.count('class="product-card"')
    record = StockRecord.objects.get(product=product)
    record.price = 99000
    record.save()
    html, _ = _get(client, url)
    assert "99.000" in html and "123.000" not in html
