"""Checkout with card (Stripe via localstripe), cash on delivery and bank transfer, through the views."""

import io
import re

import pytest
import zxingcpp
from django.core import mail
from oscar.core.loading import get_model
from PIL import Image

from shop.order import statuses
from shop.payment import stripe_client, vietqr
from shop.payment.models import PaymentAttempt, StripePayment
from tests.shop.checkout_steps import (
    add_to_basket,
    authenticate_3ds,
    new_products,
    place_order,
    stock_of,
    to_preview,
)

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

CARD_OK, CARD_3DS, CARD_DECLINED = "4242424242424242", "4000002760003184", "4000000000000341"


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def basket_of_two(client):
    bgm, hcd = new_products(stock=10, price=250000)
    add_to_basket(client, bgm)
    add_to_basket(client, hcd, 2)
    return bgm, hcd


def test_payment_method_page_offers_card_cod_and_transfer_in_vietnamese(client, stripe_local, basket_of_two):
    to_preview(client, "cod")
    html = client.get("/shop/checkout/payment-method/").content.decode()
    assert "Thẻ quốc tế (Visa, Mastercard)" in html
    assert "Thanh toán khi nhận hàng (COD)" in html
    assert "Chuyển khoản ngân hàng (VietQR)" in html
    assert "Chế độ thử nghiệm: không có tiền thật" in html and "4242 4242 4242 4242" in html


def test_without_stripe_keys_card_is_not_offered(client, settings, basket_of_two):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    to_preview(client, "cod")
    response = client.post("/shop/checkout/payment-method/", {"method": "card"})
    assert response.status_code == 200
    assert "Cách thanh toán này hiện không dùng được" in response.content.decode()


def test_card_order_from_both_cooperatives(
    client, stripe_local, card_token, basket_of_two, django_capture_on_commit_callbacks
):
    bgm, hcd = basket_of_two
    preview = to_preview(client, "card")
    html = preview.content.decode()
    assert "data-card-form" in html and stripe_local.url + "/js.stripe.com/v3/" in html
    total = preview.context["expected_total"]
    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(client, preview, payment_method_id=card_token(CARD_OK))
    assert response["Location"].endswith("/shop/checkout/thank-you/")
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhận đơn hàng" in page and "đã được thanh toán bằng thẻ" in page

    order = Order.objects.get(basket__payment_attempt__isnull=False, lines__product=bgm)
    assert order.status == statuses.PLACED
    assert order.total_incl_tax == total == 750000 + order.shipping_incl_tax
    assert {line.partner.code for line in order.lines.all()} == {"bugiamap", "huucodongnai"}
    source = order.sources.get()
    assert (source.source_type.code, source.amount_debited) == ("stripe", order.total_incl_tax)
    intent = stripe_client.retrieve_intent(source.reference)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", total, "vnd")
    assert stock_of(bgm) == (10, 1) and stock_of(hcd) == (10, 2)
    assert order.basket.status == Basket.SUBMITTED
    assert [m.to for m in mail.outbox] == [["khach@example.org"]]


def test_double_submit_makes_one_order_and_one_charge(client, stripe_local, card_token, basket_of_two):
    preview = to_preview(client, "card")
    token = card_token(CARD_OK)
    first = place_order(client, preview, payment_method_id=token)
    again = place_order(client, preview, payment_method_id=token)  # refresh / second click
    assert first["Location"] == again["Location"] and again["Location"].endswith("/thank-you/")
    attempt = PaymentAttempt.objects.get(order__isnull=False, basket__lines__product=basket_of_two[0])
    assert attempt.intents.count() == 1
    assert Order.objects.filter(basket=attempt.basket).count() == 1


def test_declined_card_gets_a_clear_message_then_a_retry_succeeds(client, stripe_local, card_token, basket_of_two):
    bgm, _ = basket_of_two
    preview = to_preview(client, "card")
    response = place_order(client, preview, payment_method_id=card_token(CARD_DECLINED))
    assert response["Location"].endswith("/shop/checkout/preview/")
    assert any("Ngân hàng đã từ chối thẻ này. Chưa có khoản tiền nào bị trừ" in m for m in messages_of(response))
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    assert attempt.state == PaymentAttempt.State.FAILED and attempt.order is None
    assert attempt.basket.status == Basket.OPEN  # the shopper can carry on
    assert stock_of(bgm) == (10, 0)  # released

    preview = client.get("/shop/checkout/preview/")
    response = place_order(client, preview, payment_method_id=card_token(CARD_OK))
    assert response["Location"].endswith("/thank-you/")
    attempt.refresh_from_db()
    assert attempt.order is not None
    outcomes = list(attempt.intents.values_list("status", "outcome"))
    assert outcomes == [("requires_payment_method", "failed"), ("succeeded", "paid_order")]
    assert stock_of(bgm) == (10, 1)


def test_3d_secure_that_completes(client, stripe_local, card_token, basket_of_two):
    bgm, _ = basket_of_two
    preview = to_preview(client, "card")
    response = place_order(client, preview, payment_method_id=card_token(CARD_3DS))
    assert response["Location"].endswith("/shop/checkout/card/authenticate/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-client-secret="pi_' in html and "Xác thực thẻ với ngân hàng" in html
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    assert attempt.state == PaymentAttempt.State.REQUIRES_ACTION
    assert stock_of(bgm) == (10, 1)  # held while the shopper authenticates

    assert authenticate_3ds(attempt.intents.get().intent_id, success=True) == "succeeded"
    response = client.get("/shop/checkout/card/return/")
    assert response["Location"].endswith("/thank-you/")
    attempt.refresh_from_db()
    assert attempt.order.status == statuses.PLACED
    assert stock_of(bgm) == (10, 1)


def test_3d_secure_that_fails(client, stripe_local, card_token, basket_of_two):
    bgm, _ = basket_of_two
    preview = to_preview(client, "card")
    place_order(client, preview, payment_method_id=card_token(CARD_3DS))
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    assert authenticate_3ds(attempt.intents.get().intent_id, success=False) == "requires_payment_method"
    response = client.get("/shop/checkout/card/return/")
    assert response["Location"].endswith("/shop/checkout/preview/")
    assert any("Xác thực 3-D Secure không thành công" in m for m in messages_of(response))
    attempt.refresh_from_db()
    assert attempt.order is None and attempt.state == PaymentAttempt.State.FAILED
    assert stock_of(bgm) == (10, 0)
    assert attempt.basket.status == Basket.OPEN


def test_stock_gone_before_submit_is_caught_by_the_basket_check(client, stripe_local, card_token):
    bgm, _ = new_products(stock=2)
    add_to_basket(client, bgm, 2)
    preview = to_preview(client, "card")
    bgm.stockrecords.get().allocate(1)  # another shopper bought one meanwhile
    response = place_order(client, preview, payment_method_id=card_token(CARD_OK))
    assert response["Location"].endswith("/shop/basket/")
    assert not PaymentAttempt.objects.filter(basket__lines__product=bgm).exists()


def test_stock_gone_after_the_basket_check_charges_nothing(client, stripe_local, card_token, monkeypatch):
    """The race Oscar loses: the basket check passed, then the last unit went before the charge."""
    from shop.checkout.views import PaymentDetailsView

    bgm, _ = new_products(stock=2)
    add_to_basket(client, bgm, 2)
    preview = to_preview(client, "card")
    bgm.stockrecords.get().allocate(1)  # another shopper bought one meanwhile
    monkeypatch.setattr(PaymentDetailsView, "check_basket_is_valid", lambda self, request: None)
    response = place_order(client, preview, payment_method_id=card_token(CARD_OK))
    assert response["Location"].endswith("/shop/basket/")
    assert any("chỉ còn 1 sản phẩm" in m and "Chưa có khoản tiền nào bị trừ" in m for m in messages_of(response))
    assert not StripePayment.objects.filter(attempt__basket__lines__product=bgm).exists()  # no intent at all
    assert stock_of(bgm) == (2, 1)


def test_tampered_total_is_refused_and_changes_nothing(client, stripe_local, card_token, basket_of_two):
    bgm, _ = basket_of_two
    preview = to_preview(client, "card")
    response = client.post(
        "/shop/checkout/preview/",
        {"action": "place_order", "expected_total": "1000", "payment_method_id": card_token(CARD_OK)},
    )
    assert response["Location"].endswith("/shop/checkout/preview/")
    assert any("Tổng tiền đơn hàng đã thay đổi" in m for m in messages_of(response))
    assert not PaymentAttempt.objects.filter(basket__lines__product=bgm).exists()
    assert stock_of(bgm) == (10, 0)

    # An `amount` field is simply ignored: the charge is always the server's total.
    response = place_order(client, preview, payment_method_id=card_token(CARD_OK), amount="1000")
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    assert stripe_client.retrieve_intent(attempt.intents.get().intent_id).amount == preview.context["expected_total"]


def test_card_submit_without_card_details_charges_nothing(client, stripe_local, basket_of_two):
    preview = to_preview(client, "card")
    response = place_order(client, preview, payment_method_id="")
    assert any("Chưa nhận được thông tin thẻ" in m for m in messages_of(response))
    assert not PaymentAttempt.objects.filter(basket__lines__product=basket_of_two[0]).exists()


def test_cash_on_delivery_order(client, stripe_local, basket_of_two, django_capture_on_commit_callbacks):
    bgm, hcd = basket_of_two
    preview = to_preview(client, "cod")
    assert "Đặt hàng (" in preview.content.decode() and "data-card-form" not in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(client, preview)
    page = client.get(response["Location"]).content.decode()
    assert "Bạn sẽ trả tiền mặt khi nhận hàng" in page
    order = Order.objects.get(lines__product=bgm)
    assert order.status == statuses.PLACED
    source = order.sources.get()
    assert (source.source_type.code, source.amount_allocated, source.amount_debited) == ("cod", order.total_incl_tax, 0)
    assert stock_of(bgm) == (10, 1) and stock_of(hcd) == (10, 2)
    assert len(mail.outbox) == 1


def test_bank_transfer_order_shows_a_vietqr_that_scans_to_amount_and_reference(
    client, stripe_local, basket_of_two, settings
):
    bgm, _ = basket_of_two
    preview = to_preview(client, "bank_transfer")
    response = place_order(client, preview)
    page = client.get(response["Location"]).content.decode()
    order = Order.objects.get(lines__product=bgm)
    assert order.status == statuses.AWAITING_PAYMENT
    assert "Chuyển khoản để hoàn tất đơn hàng" in page and "tài khoản mẫu" in page
    assert settings.BANK_ACCOUNT in page
    png_url = re.search(r'<img src="([^"]+\.png)"', page).group(1)
    image = Image.open(io.BytesIO(client.get(png_url).content))
    decoded = zxingcpp.read_barcodes(image)[0].text
    assert vietqr.parse_payload(decoded) == {
        "bank_bin": settings.BANK_BIN,
        "account": settings.BANK_ACCOUNT,
        "amount": int(order.total_incl_tax),
        "reference": order.number,
    }
    # The image needs the order's signature: order numbers are guessable.
    assert client.get(f"/payment/vietqr/{order.number}/{order.number}:forged.png").status_code == 404
    assert stock_of(bgm) == (10, 1)
