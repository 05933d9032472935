"""Staff refunds (full and partial, never more than paid), COD and transfer collection, expiry."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order import statuses
from shop.payment import stripe_client
from shop.payment.models import OrderRefund
from tests.shop.checkout_steps import add_to_basket, new_products, place_order, stock_of, to_preview

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


@pytest.fixture
def staff_client(client):
    admin = get_user_model().objects.get(username="admin")
    staff = type(client)()
    staff.force_login(admin)
    return staff


def buy(client, method, card_token=None, stock=5):
    bgm, _ = new_products(stock=stock)
    add_to_basket(client, bgm, 2)
    extra = {"payment_method_id": card_token("4242424242424242")} if card_token else {}
    place_order(client, to_preview(client, method), **extra)
    return Order.objects.get(lines__product=bgm), bgm


def refund(staff_client, order, amount, token="t1"):
    source = order.sources.get()
    return staff_client.post(
        f"/payment/orders/{order.number}/refund/",
        {"source": source.pk, "amount": amount, "token": token, "reason": "Khách trả hàng"},
        follow=True,
    )


def flash(response):
    return [str(m) for m in response.context["messages"]]


def test_partial_then_full_refund_never_exceeds_what_was_paid(client, staff_client, stripe_local, card_token):
    order, _ = buy(client, "card", card_token)
    total = int(order.total_incl_tax)
    intent_id = order.sources.get().reference

    response = refund(staff_client, order, 100000, token="a")
    assert any("Đã hoàn 100.000" in m for m in flash(response))
    response = refund(staff_client, order, total, token="b")  # more than what is left
    assert any("Chỉ có thể hoàn tối đa" in m for m in flash(response))
    assert stripe_client.refunded_amount(intent_id) == 100000

    refund(staff_client, order, total - 100000, token="c")
    source = order.sources.get()
    assert int(source.amount_refunded) == total
    assert stripe_client.refunded_amount(intent_id) == total
    response = refund(staff_client, order, 1, token="d")
    assert any("Chỉ có thể hoàn tối đa 0" in m for m in flash(response))
    assert stripe_client.refunded_amount(intent_id) == total
    assert list(OrderRefund.objects.filter(order=order).values_list("amount", flat=True)) == [100000, total - 100000]


def test_double_submitted_refund_form_refunds_once(client, staff_client, stripe_local, card_token):
    order, _ = buy(client, "card", card_token)
    refund(staff_client, order, 50000, token="same")
    refund(staff_client, order, 50000, token="same")
    assert stripe_client.refunded_amount(order.sources.get().reference) == 50000
    assert OrderRefund.objects.filter(order=order).count() == 1


def test_refund_amount_must_be_whole_dong_and_positive(client, staff_client, stripe_local, card_token):
    order, _ = buy(client, "card", card_token)
    assert any("số đồng nguyên" in m for m in flash(refund(staff_client, order, "1000.5")))
    assert any("phải lớn hơn 0" in m for m in flash(refund(staff_client, order, 0)))
    assert stripe_client.refunded_amount(order.sources.get().reference) == 0


def test_only_staff_can_refund(client, stripe_local, card_token):
    order, _ = buy(client, "card", card_token)
    partner_user = type(client)()
    partner_user.force_login(get_user_model().objects.get(username="bugiamap"))
    response = partner_user.post(f"/payment/orders/{order.number}/refund/", {"source": 1, "amount": 1, "token": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert stripe_client.refunded_amount(order.sources.get().reference) == 0


def test_dashboard_order_page_shows_payment_actions(client, staff_client, stripe_local, card_token):
    order, _ = buy(client, "card", card_token)
    html = staff_client.get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    assert "Thao tác thanh toán" in html and f'max="{int(order.total_incl_tax)}"' in html


def test_cod_collection_is_recorded_and_only_then_refundable(client, staff_client, stripe_local):
    order, _ = buy(client, "cod")
    assert any("Chỉ có thể hoàn tối đa 0" in m for m in flash(refund(staff_client, order, 1000)))
    response = staff_client.post(f"/payment/orders/{order.number}/received/", follow=True)
    assert any("Đã ghi nhận" in m for m in flash(response))
    source = order.sources.get()
    assert source.amount_debited == order.total_incl_tax
    assert order.payment_events.filter(event_type__name="Đã thanh toán").exists()
    again = staff_client.post(f"/payment/orders/{order.number}/received/", follow=True)
    assert any("đã được ghi nhận là đã thanh toán" in m for m in flash(again))
    refund(staff_client, order, 1000, token="cod")
    assert order.sources.get().amount_refunded == 1000


def test_transfer_marked_paid_moves_on_and_never_expires(client, staff_client, stripe_local):
    order, bgm = buy(client, "bank_transfer")
    assert order.status == statuses.AWAITING_PAYMENT
    staff_client.post(f"/payment/orders/{order.number}/received/")
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(days=30))
    call_command("expire_transfers", stdout=open("/dev/null", "w"))
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING and stock_of(bgm) == (5, 2)


def test_unpaid_transfer_expires_and_releases_its_stock(
    client, stripe_local, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    order, bgm = buy(client, "bank_transfer")
    cod_order, cod_product = buy(type(client)(), "cod")
    old = timezone.now() - timedelta(hours=settings.BANK_TRANSFER_EXPIRY_HOURS + 1)
    Order.objects.filter(pk__in=[order.pk, cod_order.pk]).update(date_placed=old)
    assert stock_of(bgm) == (5, 2)
    mail.outbox.clear()
    import io

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_transfers", stdout=out)
    assert re.search(rf"Order #{order.number}: .* cancelled", out.getvalue())
    order.refresh_from_db()
    cod_order.refresh_from_db()
    assert order.status == statuses.CANCELLED and cod_order.status == statuses.PLACED
    assert stock_of(bgm) == (5, 0) and stock_of(cod_product) == (5, 2)
    assert len(mail.outbox) == 1  # the shopper hears the order was cancelled
