"""A guest checks out in headless Chromium: card (with 3-D Secure and a decline), COD, VietQR transfer.

The live server talks to the test run's localstripe, whose fake Stripe.js the page loads and whose
signed webhooks arrive at the live server, as they would from Stripe.
"""

import io
import re

import pytest
import zxingcpp
from django.conf import settings
from oscar.core.loading import get_model
from PIL import Image

from shop.order import statuses
from shop.payment import vietqr
from shop.payment.models import StripePayment
from tests.payment_fixtures import WEBHOOK_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def shop(demo_live_server, stripe_local):
    stripe_local.register_webhook(demo_live_server.url + "/payment/stripe/webhook/", WEBHOOK_SECRET)
    return demo_live_server.url


def one_per_cooperative():
    records = [
        StockRecord.objects.filter(partner__code=code, num_in_stock__gte=5).select_related("product").first()
        for code in ("bugiamap", "huucodongnai")
    ]
    return [record.product for record in records]


def add_to_basket(page, url, product):
    page.goto(url + product.get_absolute_url())
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()


def checkout_until_payment(page, url, method, email="khach@example.org"):
    """Gateway, address, delivery and payment method, as a guest fills them in."""
    page.goto(url + "/shop/checkout/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=options][value=anonymous]").check()
    page.locator("form:has(input[name=username]) [type=submit]").first.click()
    page.wait_for_url("**/checkout/shipping-address/")

    page.locator("[name=first_name]").fill("Trần Văn Bình")
    page.locator("[name=phone_number]").fill("0912 345 678")
    page.locator("[name=line1]").fill("45 Đường Hùng Vương")
    if page.locator("select[name=province_code]").count():
        page.locator("select[name=province_code]").select_option(label="Đồng Nai")
        wards = page.locator("select[name=ward_code] option:not([value=''])")
        wards.first.wait_for(state="attached")
        page.locator("select[name=ward_code]").select_option(index=1)
    else:  # Oscar's default address form
        page.locator("[name=line4]").fill("Đồng Xoài")
    page.locator("#new_shipping_address [type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/checkout/(shipping-method|payment-method)/$"))
    if "shipping-method" in page.url:
        page.locator("form:has(input[name=method_code]) [type=submit]").first.click()
        page.wait_for_url("**/checkout/payment-method/")

    page.locator(f"input[name=method][value={method}]").check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/checkout/preview/")


def enter_card(page, number):
    card = page.locator("[data-card-element]")
    card.locator("input[placeholder=number]").fill(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")


def place_order(page):
    page.locator("#place-order").click()


def thank_you_order(page):
    page.wait_for_url("**/checkout/thank-you/")
    number = re.search(r"Đã nhận đơn hàng (\d+)", page.locator("h1").inner_text()).group(1)
    return Order.objects.get(number=number)


def test_guest_buys_from_both_cooperatives_with_a_card(page, shop):
    bgm, hcd = one_per_cooperative()
    add_to_basket(page, shop, bgm)
    add_to_basket(page, shop, hcd)
    checkout_until_payment(page, shop, "card")
    banner = page.locator(".test-mode-banner")
    assert "Chế độ thử nghiệm" in banner.inner_text() and "4242 4242 4242 4242" in banner.inner_text()
    enter_card(page, "4242424242424242")
    place_order(page)
    order = thank_you_order(page)
    assert "đã được thanh toán bằng thẻ" in page.locator(".order-confirmation").inner_text()
    assert {line.partner.code for line in order.lines.all()} == {"bugiamap", "huucodongnai"}
    assert order.status == statuses.PLACED and order.sources.get().amount_debited == order.total_incl_tax
    assert page.console_errors == []


def test_3d_secure_that_completes(page, shop):
    add_to_basket(page, shop, one_per_cooperative()[0])
    checkout_until_payment(page, shop, "card")
    enter_card(page, "4000002760003184")
    place_order(page)
    page.wait_for_url("**/checkout/card/authenticate/")
    page.get_by_role("button", name="Complete authentication").click()
    order = thank_you_order(page)
    assert order.sources.get().source_type.code == "stripe"


def test_3d_secure_that_fails_then_nothing_is_charged(page, shop):
    product = one_per_cooperative()[0]
    add_to_basket(page, shop, product)
    checkout_until_payment(page, shop, "card")
    enter_card(page, "4000002760003184")
    place_order(page)
    page.wait_for_url("**/checkout/card/authenticate/")
    page.get_by_role("button", name="Fail authentication").click()
    page.wait_for_url("**/checkout/preview/")
    assert "Xác thực 3-D Secure không thành công" in page.locator(".messages").inner_text()
    assert "Chưa có khoản tiền nào bị trừ" in page.locator(".messages").inner_text()
    assert not Order.objects.exists()
    assert StripePayment.objects.get().status == "requires_payment_method"


def test_declined_card_then_a_successful_retry(page, shop):
    add_to_basket(page, shop, one_per_cooperative()[1])
    checkout_until_payment(page, shop, "card")
    enter_card(page, "4000000000000341")
    place_order(page)
    page.wait_for_url("**/checkout/preview/")
    message = page.locator(".messages").inner_text()
    assert "Ngân hàng đã từ chối thẻ này" in message and "Chưa có khoản tiền nào bị trừ" in message
    assert not Order.objects.exists()
    enter_card(page, "4242424242424242")
    place_order(page)
    order = thank_you_order(page)
    assert list(StripePayment.objects.order_by("pk").values_list("outcome", flat=True)) == ["failed", "paid_order"]
    assert order.sources.get().reference == StripePayment.objects.get(outcome="paid_order").intent_id


def test_cash_on_delivery(page, shop):
    add_to_basket(page, shop, one_per_cooperative()[0])
    checkout_until_payment(page, shop, "cod")
    assert page.locator("[data-card-element]").count() == 0
    place_order(page)
    order = thank_you_order(page)
    assert "trả tiền mặt khi nhận hàng" in page.locator(".order-confirmation").inner_text()
    source = order.sources.get()
    assert (source.source_type.code, source.amount_debited) == ("cod", 0)


def test_bank_transfer_shows_a_vietqr_with_the_exact_amount_and_order_number(page, shop):
    add_to_basket(page, shop, one_per_cooperative()[1])
    checkout_until_payment(page, shop, "bank_transfer")
    place_order(page)
    order = thank_you_order(page)
    assert order.status == statuses.AWAITING_PAYMENT
    details = page.locator(".transfer-details")
    assert order.number in details.locator("[data-reference]").inner_text()
    assert settings.BANK_ACCOUNT in details.locator("[data-account]").inner_text()

    expected = {
        "bank_bin": settings.BANK_BIN,
        "account": settings.BANK_ACCOUNT,
        "amount": int(order.total_incl_tax),
        "reference": order.number,
    }
    # The PNG the server serves...
    image_url = page.locator("img[data-vietqr]").get_attribute("src")
    served = page.request.get(shop + image_url)
    assert served.ok and served.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(served.body())))
    assert vietqr.parse_payload(decoded[0].text) == expected
    # ...and what the shopper's phone would see on the screen.
    shot = Image.open(io.BytesIO(page.locator("img[data-vietqr]").screenshot()))
    assert vietqr.parse_payload(zxingcpp.read_barcodes(shot)[0].text) == expected
