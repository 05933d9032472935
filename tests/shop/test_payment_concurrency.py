"""Many shoppers and many webhook deliveries at once, on PostgreSQL (row locks are what is tested).

Each test prints its numbers (run with `-s` to see them); the report quotes them.
"""

import json
import threading

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.payment import stripe_client
from shop.payment.models import PaymentAttempt, StripePayment, WebhookEvent
from tests.factories import create_product
from tests.shop.checkout_steps import (
    add_to_basket,
    authenticate_3ds,
    only_on_postgres,
    place_order,
    post_event,
    signed_event,
    to_preview,
)

# serialized_rollback in the mark: pytest-django serialises the database at setup only then, and each test
# starts from the seeded demo (tests/conftest.py).
pytestmark = [
    pytest.mark.postgres,
    only_on_postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


def in_parallel(count, work):
    """Run work(i) for i in range(count) in threads released together; return the results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # reported, never swallowed: the assertions look at the results
            results[i] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def shoppers(product, count, method="card"):
    """`count` guests each with one unit of `product` in the basket, on the preview page."""
    prepared = []
    for i in range(count):
        client = Client()
        add_to_basket(client, product, 1)
        prepared.append((client, to_preview(client, method, email=f"khach{i}@example.org")))
    return prepared


def test_twenty_parallel_checkouts_for_the_last_five_units(stripe_local, card_token):
    product = create_product(title="Hạt điều lô cuối", num_in_stock=5, partner_code="bugiamap")
    prepared = shoppers(product, 20)
    tokens = [card_token("4242424242424242") for _ in prepared]

    def checkout(i):
        client, preview = prepared[i]
        return place_order(client, preview, payment_method_id=tokens[i])["Location"]

    results = in_parallel(20, checkout)
    assert not [r for r in results if isinstance(r, Exception)], results
    record = StockRecord.objects.get(product=product)
    orders = Order.objects.filter(lines__product=product).distinct()
    intents = StripePayment.objects.filter(attempt__basket__lines__product=product).distinct()
    statuses = [stripe_client.retrieve_intent(row.intent_id).status for row in intents]
    succeeded = [row for row, status in zip(intents, statuses, strict=True) if status == "succeeded"]
    unplaced_charges = [row for row in succeeded if row.outcome != StripePayment.Outcome.PAID_ORDER]
    print(
        f"\n[20 checkouts / 5 units] orders={orders.count()} thank_you={sum('thank-you' in r for r in results)} "
        f"out_of_stock={sum(r.endswith('/shop/basket/') for r in results)} intents_created={intents.count()} "
        f"succeeded={len(succeeded)} charges_without_order={len(unplaced_charges)} "
        f"num_in_stock={record.num_in_stock} num_allocated={record.num_allocated} net={record.net_stock_level}"
    )
    assert orders.count() == 5
    assert sum("thank-you" in r for r in results) == 5
    assert sum(r.endswith("/shop/basket/") for r in results) == 15
    assert (record.num_in_stock, record.num_allocated, record.net_stock_level) == (5, 5, 0)
    assert len(succeeded) == 5 and not unplaced_charges  # losers were never charged at all
    assert sorted(o.sources.get().reference for o in orders) == sorted(r.intent_id for r in succeeded)


def test_twenty_paid_baskets_racing_for_five_units_get_five_orders_and_fifteen_refunds(stripe_local, card_token):
    """The harder case: all twenty were charged (reservations lapsed meanwhile), then webhooks race."""
    product = create_product(title="Hạt điều tranh mua", num_in_stock=20, partner_code="huucodongnai")
    for client, preview in shoppers(product, 20):
        place_order(client, preview, payment_method_id=card_token("4000002760003184"))
    attempts = list(PaymentAttempt.objects.filter(basket__lines__product=product).distinct())
    assert len(attempts) == 20 and all(a.state == PaymentAttempt.State.REQUIRES_ACTION for a in attempts)
    from shop.checkout import placement

    for attempt in attempts:  # the reservations lapse...
        placement.release(attempt, PaymentAttempt.State.CANCELLED)
    StockRecord.objects.filter(product=product).update(num_in_stock=5)  # ...and a stock count finds only 5
    intent_ids = [a.intents.get().intent_id for a in attempts]
    for intent_id in intent_ids:  # ...then every bank confirms
        assert authenticate_3ds(intent_id) == "succeeded"

    def deliver(i):
        payload, header = signed_event(intent_ids[i])
        return post_event(Client(), payload, header).status_code

    codes = in_parallel(20, deliver)
    record = StockRecord.objects.get(product=product)
    rows = StripePayment.objects.filter(intent_id__in=intent_ids)
    paid = rows.filter(outcome=StripePayment.Outcome.PAID_ORDER).count()
    refunded = [row for row in rows if row.outcome == StripePayment.Outcome.REFUNDED]
    fully_refunded = sum(stripe_client.refunded_amount(row.intent_id) == row.amount for row in refunded)
    orders = Order.objects.filter(lines__product=product).distinct().count()
    print(
        f"\n[20 charged / 5 units] http_200={codes.count(200)} orders={orders} paid={paid} "
        f"refunded={len(refunded)} fully_refunded_at_stripe={fully_refunded} "
        f"num_allocated={record.num_allocated} net={record.net_stock_level}"
    )
    assert codes == [200] * 20
    assert orders == paid == 5
    assert len(refunded) == fully_refunded == 15
    assert (record.num_allocated, record.net_stock_level) == (5, 0)


def test_fifty_duplicate_webhook_deliveries_give_one_order(stripe_local, card_token):
    product = create_product(title="Hạt điều webhook", num_in_stock=10, partner_code="bugiamap")
    ((client, preview),) = shoppers(product, 1)
    place_order(client, preview, payment_method_id=card_token("4000002760003184"))
    attempt = PaymentAttempt.objects.get(basket__lines__product=product)
    intent_id = attempt.intents.get().intent_id
    authenticate_3ds(intent_id)  # the browser never returns: only webhooks will place the order
    payload, header = signed_event(intent_id, event_id="evt_same_delivery")

    same = in_parallel(50, lambda i: json.loads(post_event(Client(), payload, header).content)["status"])
    orders_after_same = Order.objects.filter(basket=attempt.basket).count()

    def other_event(i):
        body, signature = signed_event(intent_id, event_id=f"evt_distinct_{i}")
        return post_event(Client(), body, signature).status_code

    distinct = in_parallel(50, other_event)
    record = StockRecord.objects.get(product=product)
    print(
        f"\n[50 duplicate webhooks] ok={same.count('ok')} duplicate={same.count('duplicate')} "
        f"orders={orders_after_same}; [50 distinct events, same intent] http_200={distinct.count(200)} "
        f"orders={Order.objects.filter(basket=attempt.basket).count()} events_logged={WebhookEvent.objects.count()} "
        f"num_allocated={record.num_allocated}"
    )
    assert same.count("ok") == 1 and same.count("duplicate") == 49
    assert orders_after_same == 1
    assert distinct == [200] * 50
    assert Order.objects.filter(basket=attempt.basket).count() == 1
    assert record.num_allocated == 1
    assert stripe_client.refunded_amount(intent_id) == 0


def test_double_click_in_two_requests_at_once_charges_once(stripe_local, card_token):
    product = create_product(title="Hạt điều bấm hai lần", num_in_stock=10, partner_code="bugiamap")
    ((client, preview),) = shoppers(product, 1)
    twin = Client()
    twin.cookies = client.cookies  # the same browser: same session, same basket
    token = card_token("4242424242424242")
    results = in_parallel(2, lambda i: place_order([client, twin][i], preview, payment_method_id=token))
    assert not [r for r in results if isinstance(r, Exception)], results
    attempt = PaymentAttempt.objects.get(basket__lines__product=product)
    print(
        f"\n[double click] responses={[r.status_code for r in results]} "
        f"locations={[r['Location'] for r in results]} intents={attempt.intents.count()} "
        f"orders={Order.objects.filter(basket=attempt.basket).count()}"
    )
    assert attempt.intents.count() == 1
    assert Order.objects.filter(basket=attempt.basket).count() == 1
    assert all(r.status_code == 302 for r in results)
