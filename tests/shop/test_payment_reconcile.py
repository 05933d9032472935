"""`reconcile_payments` and `place_order_for_intent`: every charge ends as one order or a full refund."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from shop.checkout import placement
from shop.payment import card, stripe_client
from shop.payment.models import PaymentAttempt, StripePayment
from tests.shop.checkout_steps import add_to_basket, authenticate_3ds, new_products, place_order, stock_of, to_preview

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
CARD_OK, CARD_3DS = "4242424242424242", "4000002760003184"


@pytest.fixture
def waiting_3ds(client, stripe_local, card_token):
    bgm, _ = new_products(stock=3)
    add_to_basket(client, bgm, 1)
    place_order(client, to_preview(client, "card"), payment_method_id=card_token(CARD_3DS))
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    return attempt, attempt.intents.get().intent_id, bgm


def run_reconcile():
    import io

    out = io.StringIO()
    call_command("reconcile_payments", stdout=out)
    return out.getvalue()


def age(attempt, minutes):
    PaymentAttempt.objects.filter(pk=attempt.pk).update(updated=timezone.now() - timedelta(minutes=minutes))


def refunded_at_stripe(intent_id):
    return stripe_client.refunded_amount(intent_id)


def test_reconcile_places_the_order_of_a_lost_webhook(waiting_3ds):
    attempt, intent_id, bgm = waiting_3ds
    authenticate_3ds(intent_id)  # paid at the bank; no webhook, no browser
    output = run_reconcile()
    assert "placed: 1" in output
    attempt.refresh_from_db()
    assert attempt.order is not None and stock_of(bgm) == (3, 1)
    assert "placed: 0" in run_reconcile()  # idempotent


def test_reconcile_leaves_a_fresh_3ds_alone_and_cancels_an_abandoned_one(waiting_3ds, settings):
    attempt, intent_id, bgm = waiting_3ds
    run_reconcile()
    attempt.refresh_from_db()
    assert attempt.state == PaymentAttempt.State.REQUIRES_ACTION and stock_of(bgm) == (3, 1)

    age(attempt, settings.CARD_PAYMENT_TIMEOUT_MINUTES + 1)
    output = run_reconcile()
    assert "released: 1" in output
    attempt.refresh_from_db()
    assert attempt.state == PaymentAttempt.State.CANCELLED and attempt.order is None
    assert stripe_client.retrieve_intent(intent_id).status == "canceled"  # can never charge later
    assert stock_of(bgm) == (3, 0)
    assert attempt.basket.status == Basket.OPEN


def test_charge_for_an_order_that_cannot_be_placed_is_refunded(waiting_3ds):
    """The reservation lapsed and the last units sold; then the bank confirmed the payment."""
    attempt, intent_id, bgm = waiting_3ds
    placement.release(attempt, PaymentAttempt.State.CANCELLED)
    bgm.stockrecords.get().allocate(3)
    authenticate_3ds(intent_id)
    assert card.place_order_for_intent(intent_id) is None
    row = StripePayment.objects.get(intent_id=intent_id)
    assert (row.outcome, row.refund_reason, row.amount_refunded) == ("refunded", "out_of_stock", attempt.amount)
    assert refunded_at_stripe(intent_id) == attempt.amount
    assert not Order.objects.filter(basket=attempt.basket).exists()
    assert stock_of(bgm) == (3, 3)
    # Asked again (webhook retry, reconcile): no second refund.
    card.place_order_for_intent(intent_id)
    assert refunded_at_stripe(intent_id) == attempt.amount


def test_second_succeeded_intent_for_the_same_basket_is_refunded(client, stripe_local, card_token):
    bgm, _ = new_products(stock=3)
    add_to_basket(client, bgm, 1)
    place_order(client, to_preview(client, "card"), payment_method_id=card_token(CARD_OK))
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    assert attempt.order is not None
    # A stray second charge for the same basket (say, a 3-D Secure tab completed late).
    intent = stripe_client.create_intent(
        attempt.amount,
        card_token(CARD_OK),
        {"attempt_id": attempt.pk, "basket_id": attempt.basket_id, "order_number": attempt.order_number},
        idempotency_key="stray",
    )
    StripePayment.objects.create(attempt=attempt, intent_id=intent.id, amount=attempt.amount)
    stripe_client.confirm_intent(intent.id, idempotency_key="stray-confirm")
    assert card.place_order_for_intent(intent.id) == attempt.order
    assert StripePayment.objects.get(intent_id=intent.id).refund_reason == "duplicate"
    assert refunded_at_stripe(intent.id) == attempt.amount
    assert Order.objects.filter(basket=attempt.basket).count() == 1


def test_intent_that_does_not_match_our_record_is_refunded_not_placed(waiting_3ds):
    attempt, intent_id, _ = waiting_3ds
    authenticate_3ds(intent_id)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(amount=attempt.amount + 1000)
    StripePayment.objects.filter(intent_id=intent_id).update(amount=attempt.amount + 1000)
    assert card.place_order_for_intent(intent_id) is None
    assert StripePayment.objects.get(intent_id=intent_id).refund_reason.startswith("mismatch: amount")
    assert refunded_at_stripe(intent_id) == attempt.amount


def test_an_attempt_another_request_has_just_claimed_is_not_released(waiting_3ds):
    """A double click: one request has claimed the attempt and not yet created its intent when the
    other settles what is left. Releasing it then let the second claim it too and charge again."""
    attempt, intent_id, bgm = waiting_3ds
    StripePayment.objects.filter(intent_id=intent_id).update(outcome=StripePayment.Outcome.CANCELLED)
    claimed_at = timezone.now()
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        state=PaymentAttempt.State.PROCESSING, processing_since=claimed_at
    )
    card.reconcile_attempt(attempt, cancel_unfinished=True)
    attempt.refresh_from_db()
    assert attempt.state == PaymentAttempt.State.PROCESSING and stock_of(bgm) == (3, 1)

    # The same claim left behind by a crashed request is released once it is stale.
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        processing_since=claimed_at - timedelta(seconds=card.STALE_PROCESSING_SECONDS + 1)
    )
    card.reconcile_attempt(attempt, cancel_unfinished=True)
    attempt.refresh_from_db()
    assert attempt.state == PaymentAttempt.State.CANCELLED and stock_of(bgm) == (3, 0)
