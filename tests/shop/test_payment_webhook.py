"""Stripe's webhook: signature and timestamp checked, events handled once, the intent re-read from Stripe."""

import json
import time

import pytest
from oscar.core.loading import get_model

from shop.payment.models import PaymentAttempt, WebhookEvent
from tests.shop.checkout_steps import (
    add_to_basket,
    authenticate_3ds,
    new_products,
    place_order,
    post_event,
    signed_event,
    stock_of,
    to_preview,
)

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CARD_3DS = "4000002760003184"


@pytest.fixture
def abandoned_3ds(client, stripe_local, card_token):
    """A shopper authenticated with the bank, then closed the browser: paid, but no order yet."""
    bgm, _ = new_products(stock=3)
    add_to_basket(client, bgm, 1)
    place_order(client, to_preview(client, "card"), payment_method_id=card_token(CARD_3DS))
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    intent_id = attempt.intents.get().intent_id
    assert authenticate_3ds(intent_id) == "succeeded"
    return attempt, intent_id, bgm


def test_webhook_places_the_order_when_the_browser_never_comes_back(abandoned_3ds, client):
    attempt, intent_id, bgm = abandoned_3ds
    payload, header = signed_event(intent_id)
    response = post_event(client, payload, header)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    attempt.refresh_from_db()
    assert attempt.order is not None and attempt.order.sources.get().reference == intent_id
    assert stock_of(bgm) == (3, 1)
    # The same event again (Stripe retries): acknowledged, nothing new.
    again = post_event(client, payload, header)
    assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    assert Order.objects.filter(basket=attempt.basket).count() == 1


def test_event_body_is_not_trusted(abandoned_3ds, client):
    """A validly signed event saying 1 ₫ changes nothing: the intent is re-read from Stripe."""
    attempt, intent_id, _ = abandoned_3ds
    payload, header = signed_event(intent_id, amount=1, currency="usd", status="succeeded")
    assert post_event(client, payload, header).status_code == 200
    attempt.refresh_from_db()
    assert attempt.order.total_incl_tax == attempt.amount > 1


def test_forged_signature_is_refused_and_changes_nothing(abandoned_3ds, client):
    attempt, intent_id, _ = abandoned_3ds
    payload, header = signed_event(intent_id, secret="whsec_not_ours")
    response = post_event(client, payload, header)
    assert response.status_code == 400 and response.json() == {"error": "invalid signature"}
    assert not WebhookEvent.objects.exists()
    attempt.refresh_from_db()
    assert attempt.order is None


def test_expired_signature_timestamp_is_refused_and_changes_nothing(abandoned_3ds, client, settings):
    attempt, intent_id, _ = abandoned_3ds
    payload, header = signed_event(intent_id, timestamp=int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE - 60)
    response = post_event(client, payload, header)
    assert response.status_code == 400 and response.json() == {"error": "invalid signature"}
    attempt.refresh_from_db()
    assert attempt.order is None and not WebhookEvent.objects.exists()


def test_missing_signature_and_bad_payload_are_refused(stripe_local, client):
    assert post_event(client, json.dumps({"id": "evt_x"}), "").status_code == 400
    payload, header = signed_event("pi_x")
    tampered = payload.replace("pi_x", "pi_y")
    assert post_event(client, tampered, header).status_code == 400
    import stripe

    header = stripe.WebhookSignature.generate_signature_header("not json", "whsec_test_localstripe")
    response = post_event(client, "not json", header)
    assert response.status_code == 400 and response.json() == {"error": "invalid payload"}
    header = stripe.WebhookSignature.generate_signature_header("{}", "whsec_test_localstripe")
    assert post_event(client, "{}", header).status_code == 400  # signed, but not an event
    assert client.get("/payment/stripe/webhook/").status_code == 405


def test_unknown_intent_is_acknowledged_and_ignored(stripe_local, client):
    payload, header = signed_event("pi_not_ours_123")
    assert post_event(client, payload, header).status_code == 200
    assert not PaymentAttempt.objects.filter(intents__intent_id="pi_not_ours_123").exists()


def test_failed_3ds_event_releases_the_stock(client, stripe_local, card_token):
    bgm, _ = new_products(stock=3)
    add_to_basket(client, bgm, 2)
    place_order(client, to_preview(client, "card"), payment_method_id=card_token(CARD_3DS))
    attempt = PaymentAttempt.objects.get(basket__lines__product=bgm)
    intent_id = attempt.intents.get().intent_id
    assert stock_of(bgm) == (3, 2)
    authenticate_3ds(intent_id, success=False)
    payload, header = signed_event(intent_id, event_type="payment_intent.payment_failed")
    assert post_event(client, payload, header).status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == PaymentAttempt.State.FAILED and attempt.order is None
    assert stock_of(bgm) == (3, 0)
