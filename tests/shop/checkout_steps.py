"""Walking a guest through the checkout with Django's test client, as the payment tests need it."""

import pytest
from django.conf import settings
from oscar.core.loading import get_model

# Decided at collection time: a PostgreSQL-only test skipped inside a transactional test would still
# flush the database, and the live-server tests after it would lose the migrations' data.
only_on_postgres = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs PostgreSQL: SQLite serialises writers, so it cannot show row-lock races",
)

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def shipping_address():
    """A valid Vietnamese delivery address (province Đồng Nai, its first ward)."""
    data = {
        "first_name": "Nguyễn Thị Lan",
        "phone_number": "0912 345 678",
        "line1": "12 Đường Phú Riềng Đỏ",
        "line4": "Đồng Xoài",
        "postcode": "",
        "notes": "",
    }
    try:
        from shop.address import divisions
    except ImportError:  # Oscar's default address form
        data["country"] = "VN"
        return data
    province = next(p for p in divisions.provinces() if p.name == "Đồng Nai")
    data.update(province_code=province.code, ward_code=divisions.wards_of(province.code)[0].code)
    return data


def demo_products():
    """One product of each cooperative, with their stock records."""
    bgm = StockRecord.objects.filter(partner__code="bugiamap").select_related("product").order_by("pk").first()
    hcd = StockRecord.objects.filter(partner__code="huucodongnai").select_related("product").order_by("pk").first()
    return bgm, hcd


def add_to_basket(client, product, quantity=1):
    response = client.post(
        f"/shop/basket/add/{product.pk}/", {"quantity": quantity}, HTTP_REFERER=product.get_absolute_url()
    )
    assert response.status_code == 302, response


def to_preview(client, method, email="khach@example.org", shipping="standard"):
    """From a filled basket to the preview page with `method` chosen; returns the preview response."""
    response = client.post("/shop/checkout/", {"username": email, "options": "anonymous"})
    assert response.status_code == 302, response.content[:2000]
    response = client.post("/shop/checkout/shipping-address/", shipping_address())
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    response = client.get("/shop/checkout/shipping-method/")
    if response.status_code == 200:
        response = client.post("/shop/checkout/shipping-method/", {"method_code": shipping})
    assert response.status_code == 302, response
    response = client.post("/shop/checkout/payment-method/", {"method": method})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    preview = client.get("/shop/checkout/preview/")
    assert preview.status_code == 200, preview
    return preview


def place_order(client, preview, **extra):
    """Press 'place order' on `preview` (its total as the shopper saw it) with extra form fields."""
    data = {"action": "place_order", "expected_total": str(preview.context["expected_total"]), **extra}
    return client.post("/shop/checkout/preview/", data)


def new_products(stock=10, price=250000):
    """A fresh product of each cooperative, `stock` units each (demo stock is shared by many tests)."""
    from tests.factories import create_product

    bgm = create_product(title="Hạt điều rang muối thử", price=price, num_in_stock=stock, partner_code="bugiamap")
    hcd = create_product(title="Hạt điều hữu cơ thử", price=price, num_in_stock=stock, partner_code="huucodongnai")
    return bgm, hcd


def stock_of(product):
    record = product.stockrecords.get()
    return record.num_in_stock, record.num_allocated or 0


def authenticate_3ds(intent_id, success=True):
    """Answer the bank's 3-D Secure challenge as the shopper would in Stripe.js (localstripe's endpoint)."""
    import json
    import urllib.request

    from django.conf import settings

    from shop.payment import stripe_client

    secret = stripe_client.retrieve_intent(intent_id).client_secret
    request = urllib.request.Request(
        f"{settings.STRIPE_API_BASE}/v1/payment_intents/{intent_id}/_authenticate?success={str(success).lower()}",
        data=json.dumps({"key": settings.STRIPE_PUBLISHABLE_KEY, "client_secret": secret}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["status"]


def signed_event(intent_id, event_type="payment_intent.succeeded", event_id=None, timestamp=None, secret=None, **obj):
    """A Stripe event for `intent_id` as JSON bytes with its Stripe-Signature header."""
    import json
    import time
    import uuid

    import stripe
    from django.conf import settings

    event = {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": {"id": intent_id, "object": "payment_intent", **obj}},
    }
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )
    return payload, header


def post_event(client, payload, header):
    return client.post(
        "/payment/stripe/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
