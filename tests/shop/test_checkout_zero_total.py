"""Orders of 0 ₫ (a voucher pays for everything) and orders under Stripe's minimum card charge.

No PaymentIntent is ever made for 0 ₫ (Stripe refuses amounts under its minimum anyway), and a card
is not offered for a total the card gateway would refuse, with the reason in Vietnamese.
"""

from datetime import timedelta

import pytest
import stripe
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order import statuses
from shop.payment import stripe_client
from shop.payment.models import PaymentAttempt, StripePayment
from tests.shop.checkout_steps import add_to_basket, new_products, place_order, stock_of, to_preview

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")


def voucher(code, products_percent=0, shipping_percent=0):
    """A voucher taking `products_percent` off every product and `shipping_percent` off delivery."""
    everything = Range.objects.create(name=f"Mọi sản phẩm ({code})", includes_all_products=True)
    condition = Condition.objects.create(range=everything, type=Condition.COUNT, value=1)
    voucher = Voucher.objects.create(
        name=code,
        code=code,
        usage=Voucher.MULTI_USE,
        start_datetime=timezone.now() - timedelta(days=1),
        end_datetime=timezone.now() + timedelta(days=30),
    )
    benefits = []
    if products_percent:
        benefits.append(Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=products_percent))
    if shipping_percent:
        benefits.append(Benefit.objects.create(type=Benefit.SHIPPING_PERCENTAGE, value=shipping_percent))
    for benefit in benefits:
        offer = ConditionalOffer.objects.create(
            name=f"{code} {benefit.type}",
            offer_type=ConditionalOffer.VOUCHER,
            condition=condition,
            benefit=benefit,
            exclusive=False,
        )
        voucher.offers.add(offer)
    return voucher


def apply_voucher(client, code):
    response = client.post("/shop/basket/vouchers/add/", {"code": code})
    assert response.status_code == 302
    return response


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def free_basket(client, stripe_local):
    bgm, _ = new_products(stock=5, price=250000)
    add_to_basket(client, bgm, 2)
    voucher("TANG100", products_percent=100, shipping_percent=100)
    apply_voucher(client, "TANG100")
    return bgm


def test_an_order_paid_in_full_by_a_voucher_is_placed_without_any_card_charge(
    client, free_basket, card_token, django_capture_on_commit_callbacks
):
    # The shopper asks for a card; the payment step is skipped, as there is nothing to pay.
    preview = to_preview(client, "card")
    html = preview.content.decode()
    assert preview.context["expected_total"] == 0
    assert "Không cần thanh toán" in html and "data-card-element" not in html and "js.stripe.com" not in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Even a card token in the post charges nothing.
        response = place_order(client, preview, payment_method_id=card_token("4242424242424242"))
    assert response.status_code == 302 and response["Location"].endswith("/checkout/thank-you/")
    order = Order.objects.get(lines__product=free_basket)
    assert order.total_incl_tax == 0 and order.status == statuses.PLACED
    source = order.sources.get()
    assert (source.source_type.code, source.amount_allocated, source.amount_debited) == ("free", 0, 0)
    assert PaymentAttempt.objects.get(order=order).method == "free"
    assert not StripePayment.objects.exists()
    assert stock_of(free_basket) == (5, 2)
    thank_you = client.get(response["Location"]).content.decode()
    assert "không cần trả tiền" in thank_you
    assert len(mail.outbox) == 1 and "Đơn hàng 0 ₫: bạn không cần trả tiền." in mail.outbox[0].body


def test_card_chosen_before_the_voucher_is_not_charged(client, stripe_local, card_token):
    bgm, _ = new_products(stock=5, price=250000)
    add_to_basket(client, bgm, 1)
    to_preview(client, "card")
    voucher("TANG100", products_percent=100, shipping_percent=100)
    apply_voucher(client, "TANG100")
    preview = client.get("/shop/checkout/preview/")
    assert preview.context["payment_method"] == "free" and preview.context["expected_total"] == 0
    place_order(client, preview, payment_method_id=card_token("4242424242424242"))
    order = Order.objects.get(lines__product=bgm)
    assert order.sources.get().source_type.code == "free" and not StripePayment.objects.exists()


def test_voucher_removed_after_the_preview_asks_how_to_pay_again(client, free_basket):
    to_preview(client, "cod")
    Voucher.objects.filter(code="TANG100").update(end_datetime=timezone.now() - timedelta(minutes=1))
    response = client.get("/shop/checkout/preview/")
    assert response.status_code == 302 and response["Location"].endswith("/checkout/payment-method/")
    assert "Vui lòng chọn cách thanh toán." in messages_of(response)
    assert not Order.objects.filter(lines__product=free_basket).exists()


@pytest.fixture
def small_basket(client, stripe_local):
    """A 5.000 ₫ sample with delivery paid by a voucher: under Stripe's minimum card charge."""
    bgm, _ = new_products(stock=5, price=5000)
    add_to_basket(client, bgm, 1)
    voucher("FREESHIP", shipping_percent=100)
    apply_voucher(client, "FREESHIP")
    return bgm


def test_under_the_minimum_the_card_is_not_offered_and_the_page_says_why(client, small_basket):
    to_preview(client, "cod")
    html = client.get("/shop/checkout/payment-method/").content.decode()
    assert 'value="card"' not in html and 'value="cod"' in html
    assert "chỉ dùng được cho đơn hàng từ 20.000" in html and "5.000" in html
    response = client.post("/shop/checkout/payment-method/", {"method": "card"})
    assert response.status_code == 200
    assert "chỉ dùng được cho đơn hàng từ 20.000" in response.content.decode()
    place_order(client, client.get("/shop/checkout/preview/"))
    order = Order.objects.get(lines__product=small_basket)
    assert order.total_incl_tax == 5000 and order.sources.get().source_type.code == "cod"


def test_a_card_chosen_before_the_total_fell_under_the_minimum_is_refused(client, stripe_local, card_token):
    bgm, _ = new_products(stock=5, price=5000)
    add_to_basket(client, bgm, 1)
    preview = to_preview(client, "card")  # 5.000 ₫ + delivery: above the minimum
    voucher("FREESHIP", shipping_percent=100)
    apply_voucher(client, "FREESHIP")
    response = place_order(client, preview, payment_method_id=card_token("4242424242424242"))
    assert response.status_code == 302 and response["Location"].endswith("/checkout/payment-method/")
    assert any("chỉ dùng được cho đơn hàng từ 20.000" in m for m in messages_of(response))
    assert not StripePayment.objects.exists() and not Order.objects.filter(lines__product=bgm).exists()


def test_when_stripe_refuses_a_small_amount_the_shopper_is_told_and_nothing_is_charged(
    client, stripe_local, card_token, settings, monkeypatch
):
    """Stripe's minimum moves with exchange rates: if it is above ours, its refusal is worded too."""
    settings.STRIPE_MINIMUM_CHARGE_VND = 1
    bgm, _ = new_products(stock=5, price=5000)
    add_to_basket(client, bgm, 1)
    voucher("FREESHIP", shipping_percent=100)
    apply_voucher(client, "FREESHIP")
    preview = to_preview(client, "card")

    def too_small(*args, **kwargs):
        raise stripe.InvalidRequestError("Amount must convert to at least 50 cents.", "amount", code="amount_too_small")

    monkeypatch.setattr(stripe_client, "create_intent", too_small)
    response = place_order(client, preview, payment_method_id=card_token("4242424242424242"))
    assert response.status_code == 302 and response["Location"].endswith("/checkout/preview/")
    message = " ".join(messages_of(response))
    assert "nhỏ hơn mức tối thiểu" in message and "Chưa có khoản tiền nào bị trừ" in message
    assert stock_of(bgm) == (5, 0) and not Order.objects.filter(lines__product=bgm).exists()
