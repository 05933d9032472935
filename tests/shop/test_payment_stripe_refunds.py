"""Refunds made in Stripe's own dashboard reach the shop's ledger through `charge.refunded`, once.

localstripe plays Stripe: the "dashboard" refund is made on it directly, and the event is the one Stripe
would send (its charge object, signed). localstripe sends no refund events itself, and its refunds
never fail, so a failed refund is Stripe's answer built with stripe-python's own objects.
"""

import json
import time
import uuid

import pytest
import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from shop.payment import refunds, stripe_client
from shop.payment.models import OrderRefund, WebhookEvent
from tests.shop.checkout_steps import add_to_basket, new_products, place_order, post_event, to_preview

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Transaction = get_model("payment", "Transaction")


@pytest.fixture
def paid_order(client, stripe_local, card_token):
    bgm, _ = new_products(stock=5)
    add_to_basket(client, bgm, 2)
    place_order(client, to_preview(client, "card"), payment_method_id=card_token("4242424242424242"))
    order = Order.objects.get(lines__product=bgm)
    return order, order.sources.get().reference


@pytest.fixture
def staff_client(client):
    staff = type(client)()
    staff.force_login(get_user_model().objects.get(username="admin"))
    return staff


def refund_in_stripes_dashboard(intent_id, amount):
    """What staff do on dashboard.stripe.com: refund the payment's charge (no shop metadata)."""
    charge = stripe_client.retrieve_intent(intent_id).latest_charge
    charge_id = getattr(charge, "id", charge)
    return stripe_client.client().v1.refunds.create(params={"charge": charge_id, "amount": amount})


def charge_event(intent_id, event_type="charge.refunded", **overrides):
    """The signed event Stripe sends, carrying the charge as Stripe has it now."""
    charge = stripe_client.retrieve_intent(intent_id).latest_charge
    charge_id = getattr(charge, "id", charge)
    obj = stripe_client.retrieve_charge(charge_id).to_dict()
    obj.update(overrides)
    return signed({"type": event_type, "data": {"object": obj}})


def signed(event):
    event = {"id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "created": int(time.time()), **event}
    payload = json.dumps(event)
    return payload, stripe.WebhookSignature.generate_signature_header(payload, settings.STRIPE_WEBHOOK_SECRET)


def staff_refund(staff_client, order, amount, token):
    return staff_client.post(
        f"/payment/orders/{order.number}/refund/",
        {"source": order.sources.get().pk, "amount": amount, "token": token, "reason": "Khách trả hàng"},
    )


def test_refund_made_in_stripes_dashboard_is_recorded_once(client, paid_order):
    order, intent_id = paid_order
    total = int(order.total_incl_tax)
    refund = refund_in_stripes_dashboard(intent_id, 100000)

    payload, header = charge_event(intent_id)
    response = post_event(client, payload, header)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    source = order.sources.get()
    assert int(source.amount_refunded) == 100000 and refunds.refundable(source) == total - 100000
    record = OrderRefund.objects.get(order=order)
    assert (record.amount, record.reference, record.created_by) == (100000, refund.id, None)
    assert "Stripe" in record.reason
    assert order.payment_events.filter(event_type__name="Hoàn tiền", reference=refund.id, amount=100000).exists()

    # Redelivered, or another event about the same charge: nothing is counted twice.
    assert post_event(client, payload, header).json() == {"status": "duplicate"}
    assert post_event(client, *charge_event(intent_id, "charge.refund.updated")).json() == {"status": "ok"}
    source.refresh_from_db()
    assert int(source.amount_refunded) == 100000
    assert source.transactions.filter(txn_type=Transaction.REFUND).count() == 1


def test_the_shops_own_refund_is_not_counted_again_when_stripe_reports_it(client, staff_client, paid_order):
    order, intent_id = paid_order
    total = int(order.total_incl_tax)
    staff_refund(staff_client, order, 50000, token="own")
    refund_in_stripes_dashboard(intent_id, 30000)
    # Stripe reports the charge with both refunds (80.000 ₫); only the dashboard's one is new.
    assert post_event(client, *charge_event(intent_id)).status_code == 200
    source = order.sources.get()
    assert int(source.amount_refunded) == 80000
    assert sorted(OrderRefund.objects.filter(order=order).values_list("amount", flat=True)) == [30000, 50000]
    assert stripe_client.refunded_amount(intent_id) == 80000
    # The dashboard's form now offers what is really left.
    html = staff_client.get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    assert f'max="{total - 80000}"' in html


def test_refund_event_body_is_not_trusted(client, paid_order):
    """A validly signed event that claims a refund Stripe does not have records nothing."""
    order, intent_id = paid_order
    total = int(order.total_incl_tax)
    fake = {"object": "list", "data": [{"id": "re_fake", "object": "refund", "amount": total, "status": "succeeded"}]}
    payload, header = charge_event(intent_id, amount_refunded=total, refunded=True, refunds=fake)
    assert post_event(client, payload, header).status_code == 200
    assert order.sources.get().amount_refunded == 0 and not OrderRefund.objects.exists()


def test_forged_refund_event_is_refused(client, paid_order):
    order, intent_id = paid_order
    refund_in_stripes_dashboard(intent_id, 100000)
    payload, _header = charge_event(intent_id)
    forged = stripe.WebhookSignature.generate_signature_header(payload, "whsec_not_ours")
    response = post_event(client, payload, forged)
    assert response.status_code == 400 and not WebhookEvent.objects.exists()
    assert order.sources.get().amount_refunded == 0


def test_refund_event_for_a_payment_that_is_not_ours_is_acknowledged_and_ignored(client, stripe_local):
    payload, header = signed(
        {"type": "charge.refunded", "data": {"object": {"id": "ch_x", "object": "charge", "payment_intent": "pi_x"}}}
    )
    assert post_event(client, payload, header).json() == {"status": "ok"}
    assert not OrderRefund.objects.exists()


def test_over_refund_at_stripe_is_recorded_only_up_to_what_was_paid(client, paid_order):
    """Stripe refuses over-refunds, localstripe does not: the ledger never shows more than was paid."""
    order, intent_id = paid_order
    total = int(order.total_incl_tax)
    refund_in_stripes_dashboard(intent_id, total)
    refund_in_stripes_dashboard(intent_id, 1000)
    post_event(client, *charge_event(intent_id))
    source = order.sources.get()
    assert int(source.amount_refunded) == total and refunds.refundable(source) == 0
    assert sum(OrderRefund.objects.filter(order=order).values_list("amount", flat=True)) == total


def test_a_refund_that_fails_at_stripe_is_reversed_once(client, staff_client, paid_order, monkeypatch):
    order, intent_id = paid_order
    total = int(order.total_incl_tax)
    staff_refund(staff_client, order, 60000, token="fails-later")
    refund_id = OrderRefund.objects.get(order=order).reference
    failed = [
        stripe.Refund.construct_from(
            {"id": refund_id, "object": "refund", "amount": 60000, "status": "failed", "created": int(time.time())},
            "sk_test",
        )
    ]
    monkeypatch.setattr(stripe_client, "list_refunds", lambda intent: failed)
    refund_obj = {"id": refund_id, "object": "refund", "payment_intent": intent_id, "status": "failed"}
    for _ in range(2):  # Stripe may tell twice (charge.refund.updated, then charge.refunded)
        payload, header = signed({"type": "charge.refund.updated", "data": {"object": refund_obj}})
        assert post_event(client, payload, header).status_code == 200
    source = order.sources.get()
    assert source.amount_refunded == 0 and refunds.refundable(source) == total
    assert source.transactions.filter(txn_type=refunds.REFUND_FAILED_TXN, reference=refund_id).count() == 1
    assert order.payment_events.filter(event_type__name="Hoàn tiền không thành công", amount=60000).count() == 1
