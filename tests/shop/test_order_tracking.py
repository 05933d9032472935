"""Guest order tracking: order number plus email or phone; the same answer for every miss."""

import pytest
from django.core.cache import cache
from oscar.core.loading import get_model

from shop.order import statuses
from tests.shop.vn_orders import place_vn_order

pytestmark = pytest.mark.django_db

ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
URL = "/shop/tra-cuu-don-hang/"
NOT_FOUND = "Không tìm thấy đơn hàng với mã và email/số điện thoại này."


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shipped_order():
    """An order whose first line has been handed to the courier."""
    order = place_vn_order(
        "vi",
        email="Lan.Nguyen@Example.org",
        items=[
            ("Điều nhân W240 thử 500 g", "W240 kernels test 500 g", 160000, 1),
            ("Hạt điều vỏ lụa thử 250 g", "Skin-on cashews test 250 g", 115000, 2),
        ],
    )
    order.set_status(statuses.PROCESSING)
    first, _second = order.lines.order_by("pk")
    event_type, _ = ShippingEventType.objects.get_or_create(
        code="da-giao-don-vi-van-chuyen", name="Đã giao cho đơn vị vận chuyển"
    )
    event = ShippingEvent.objects.create(order=order, event_type=event_type, notes="GHN 123")
    event.line_quantities.create(line=first, quantity=1)
    first.set_status(statuses.SHIPPED)
    return order


def test_form_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tra cứu đơn hàng" in html
    assert 'name="number"' in html and 'name="contact"' in html and "csrfmiddlewaretoken" in html


@pytest.mark.parametrize(
    "contact", ["lan.nguyen@example.org", " LAN.NGUYEN@EXAMPLE.ORG ", "0912 345 678", "+84912345678"]
)
def test_found_by_email_or_phone_shows_status_and_each_lines_shipment(client, shipped_order, contact):
    response = client.post(URL, {"number": shipped_order.number, "contact": contact})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Đơn hàng {shipped_order.number}" in html
    assert "Đang chuẩn bị hàng" in html  # the order's status
    assert "Điều nhân W240 thử 500 g" in html and "Hạt điều vỏ lụa thử 250 g" in html
    assert "Đã giao cho đơn vị vận chuyển" in html  # the first line's shipping event
    assert "Đang giao hàng" in html  # the first line's status
    assert "Chưa gửi hàng" in html  # the second line has no shipping event yet
    # Nothing more personal than the order itself: no address, phone or email on the page.
    assert "Thôn 3" not in html and "lan.nguyen" not in html.lower()
    assert "912 345" not in html and "+84912345678" not in html


def test_number_with_hash_and_spaces_is_accepted(client, shipped_order):
    response = client.post(URL, {"number": f"# {shipped_order.number} ", "contact": "0912345678"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "number, contact",
    [
        ("wrong-number", "lan.nguyen@example.org"),
        (None, "someone.else@example.org"),
        (None, "0987 654 321"),
        (None, "not a phone"),
    ],
)
def test_not_found_looks_the_same_whatever_was_wrong(client, shipped_order, number, contact):
    response = client.post(URL, {"number": number or shipped_order.number, "contact": contact})
    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND in html
    assert "Điều nhân W240" not in html and "Đang chuẩn bị hàng" not in html


def test_not_found_pages_are_identical_for_a_wrong_number_and_a_wrong_contact(client, shipped_order):
    def body(number, contact):
        html = client.post(URL, {"number": number, "contact": contact}).content.decode()
        html = html.replace(number, "N").replace(contact, "C")
        return "".join(line for line in html.splitlines() if "csrfmiddlewaretoken" not in line)

    assert body("999999", "x@example.org") == body(shipped_order.number, "x@example.org")


def test_empty_fields_are_named(client):
    response = client.post(URL, {"number": "", "contact": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng nhập mã đơn hàng." in html and "Vui lòng nhập email hoặc số điện thoại." in html


def test_repeated_misses_are_throttled(client, shipped_order, settings):
    settings.ORDER_TRACKING_ATTEMPTS = 3
    for _ in range(3):
        assert client.post(URL, {"number": shipped_order.number, "contact": "guess@example.org"}).status_code == 404
    response = client.post(URL, {"number": shipped_order.number, "contact": "lan.nguyen@example.org"})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    cache.clear()
    assert client.post(URL, {"number": shipped_order.number, "contact": "lan.nguyen@example.org"}).status_code == 200


def test_visitors_behind_the_proxy_are_counted_apart(client, shipped_order, settings):
    settings.ORDER_TRACKING_ATTEMPTS = 2
    number = "999999"
    for _ in range(2):
        client.post(URL, {"number": number, "contact": "x@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert (
        client.post(URL, {"number": "1", "contact": "x@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        == 429
    )
    # Another shopper through the same proxy (same REMOTE_ADDR) is not locked out.
    response = client.post(
        URL, {"number": shipped_order.number, "contact": "0912345678"}, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert response.status_code == 200


def test_successful_lookups_are_not_counted(client, shipped_order, settings):
    settings.ORDER_TRACKING_ATTEMPTS = 2
    for _ in range(4):
        assert client.post(URL, {"number": shipped_order.number, "contact": "0912345678"}).status_code == 200


def test_signed_link_from_the_email_shows_the_status(client, shipped_order):
    url = f"{URL}{shipped_order.number}/{shipped_order.verification_hash()}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Đang chuẩn bị hàng" in response.content.decode()
    assert client.get(f"{URL}{shipped_order.number}/{shipped_order.number}:forged/").status_code == 404
    other = place_vn_order("vi")
    assert client.get(f"{URL}{other.number}/{shipped_order.verification_hash()}/").status_code == 404


def test_english_page(client, shipped_order):
    response = client.get(f"/en{URL}")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    response = client.post(f"/en{URL}", {"number": shipped_order.number, "contact": "0912345678"})
    assert response.status_code == 200
    assert "Điều nhân W240 thử 500 g" in response.content.decode()  # titles as ordered
