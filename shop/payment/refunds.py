"""Refunds from the dashboard, full or partial, never more than what was paid and not yet refunded.

Card refunds go to Stripe (which refuses over-refunds; localstripe does not, so the limit is ours);
COD and transfer refunds are paid back by staff outside the shop and only recorded here.

Refunds made in Stripe's own dashboard reach the same ledger through the `charge.refunded` and
`charge.refund.updated` webhooks (`record_stripe_refunds`). The ledger of a card payment is its
Oscar `Source`: each refund is a "Refund" transaction whose reference is Stripe's refund id, plus a
"Hoàn tiền" payment event and an `OrderRefund`; that id is what keeps a refund from being counted twice.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from shop.checkout.placement import whole_dong
from shop.order import statuses
from shop.payment import stripe_client
from shop.payment.models import OrderRefund, StripePayment

Source = get_model("payment", "Source")
Transaction = get_model("payment", "Transaction")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")

logger = logging.getLogger("shop.payment")
REFUND_EVENT = "Hoàn tiền"
REFUND_FAILED_EVENT = "Hoàn tiền không thành công"
# Oscar leaves transaction types open; this one undoes a "Refund" whose Stripe refund failed.
REFUND_FAILED_TXN = "Refund failed"
STRIPE_REFUND_REASON = "Hoàn tiền trên trang quản trị Stripe"


class RefundNotAllowed(Exception):
    """The refund asked for exceeds what can be refunded, or is not a positive whole amount."""


def refundable(source):
    """Whole đồng of `source` that was paid and not yet refunded."""
    return max(whole_dong(source.amount_debited - source.amount_refunded), 0)


def refund_due(order) -> int:
    """Whole đồng the shopper paid for what has been cancelled and has not had back yet.

    A cancelled order owes back everything paid; otherwise its cancelled lines, at what the shopper
    paid for them (after discounts). Refunds already made count against it, whatever they were for.
    Nothing is refunded here: the dashboard shows this next to the refund form (never automatic).
    """
    sources = list(order.sources.all())
    paid = sum(whole_dong(source.amount_debited) for source in sources)
    refunded = sum(whole_dong(source.amount_refunded) for source in sources)
    if paid <= 0:
        return 0
    if order.status == statuses.CANCELLED:
        owed_back = paid
    else:
        cancelled = order.lines.filter(status=statuses.CANCELLED).values_list("line_price_incl_tax", flat=True)
        owed_back = sum(whole_dong(price) for price in cancelled)
    return max(min(paid, owed_back) - refunded, 0)


def refund_order(order, source_id, amount, token, user, reason=""):
    """Refund `amount` đồng of one payment source of `order`; the same `token` refunds only once."""
    with transaction.atomic():
        source = Source.objects.select_for_update().select_related("source_type").get(pk=source_id, order=order)
        existing = OrderRefund.objects.filter(token=token).first()
        if existing is not None:
            return existing
        limit = refundable(source)
        if not isinstance(amount, int) or amount <= 0:
            raise RefundNotAllowed(_("Số tiền hoàn phải là số đồng nguyên dương."))
        if amount > limit:
            raise RefundNotAllowed(
                _("Chỉ có thể hoàn tối đa %(limit)s (đã thu %(paid)s, đã hoàn %(refunded)s).")
                % {
                    "limit": currency(limit, order.currency),
                    "paid": currency(source.amount_debited, order.currency),
                    "refunded": currency(source.amount_refunded, order.currency),
                }
            )
        if source.source_type.code == "stripe":
            intent_id = source.reference
            left_at_stripe = whole_dong(source.amount_debited) - stripe_client.refunded_amount(intent_id)
            if amount > left_at_stripe:
                raise RefundNotAllowed(
                    _("Stripe chỉ còn %(left)s có thể hoàn cho giao dịch này.")
                    % {"left": currency(max(left_at_stripe, 0), order.currency)}
                )
            refund = stripe_client.refund(
                intent_id,
                amount,
                idempotency_key=f"order-refund-{token}",
                metadata={"order_number": order.number, "staff": user.get_username()},
            )
            reference, status = refund.id, refund.status
        else:
            reference, status = f"{source.source_type.code}:{user.get_username()}", "succeeded"
        source.refund(Decimal(amount), reference=reference, status=status)
        event_type, _created = PaymentEventType.objects.get_or_create(name=REFUND_EVENT)
        PaymentEvent.objects.create(order=order, event_type=event_type, amount=Decimal(amount), reference=reference)
        record = OrderRefund.objects.create(
            order=order,
            source=source,
            amount=amount,
            token=token,
            reference=reference,
            reason=reason[:255],
            created_by=user,
        )
    logger.info("Order #%s: refunded %s VND (%s) by %s", order.number, amount, reference, user.get_username())
    return record


def record_stripe_refunds(intent_id):
    """Bring the shop's ledger in line with Stripe's refunds of `intent_id`, wherever they were made.

    For the `charge.refunded` and `charge.refund.updated` webhooks; the event body is only a hint,
    Stripe's list of refunds is re-read. Under the payment source's row lock (the one `refund_order`
    holds while it refunds), each refund is compared with the ledger by its Stripe id:

    - succeeded or pending and not in the ledger (made in Stripe's dashboard): recorded like a
      staff refund, never beyond what is left to refund;
    - in the ledger (the shop's own refunds carry their Stripe id): left alone, so never counted twice;
    - failed or cancelled after being recorded: reversed, and what it refunded can be refunded again.

    An intent that pays for no order (refunded in full by the shop) only has its refunded amount
    updated. Returns (đồng recorded, đồng reversed).
    """
    source = Source.objects.filter(source_type__code="stripe", reference=intent_id).first()
    if source is None:
        _sync_intent_without_order(intent_id)
        return 0, 0
    recorded = reversed_ = 0
    with transaction.atomic():
        source = Source.objects.select_for_update().select_related("order").get(pk=source.pk)
        order = source.order
        stripe_refunds = sorted(stripe_client.list_refunds(intent_id), key=lambda refund: (refund.created, refund.id))
        ledger = {txn.reference: txn for txn in source.transactions.filter(txn_type=Transaction.REFUND)}
        undone = set(source.transactions.filter(txn_type=REFUND_FAILED_TXN).values_list("reference", flat=True))
        for refund in stripe_refunds:
            if refund.status in stripe_client.REFUND_COUNTED and refund.id not in ledger:
                recorded += _record_stripe_refund(order, source, refund)
            elif refund.status in stripe_client.REFUND_UNDONE and refund.id in ledger and refund.id not in undone:
                reversed_ += _reverse_refund(order, source, ledger[refund.id], refund)
    return recorded, reversed_


def _record_stripe_refund(order, source, refund):
    amount = int(refund.amount)
    limit = refundable(source)
    if amount > limit:
        # Stripe refuses over-refunds; only a fake Stripe or a ledger gone wrong gets here.
        logger.error(
            "Order #%s: Stripe refund %s of %s VND exceeds the %s VND left; recording %s",
            order.number,
            refund.id,
            amount,
            limit,
            limit,
        )
        amount = limit
    if amount <= 0:
        return 0
    source.refund(Decimal(amount), reference=refund.id, status=refund.status)
    event_type, _created = PaymentEventType.objects.get_or_create(name=REFUND_EVENT)
    PaymentEvent.objects.create(order=order, event_type=event_type, amount=Decimal(amount), reference=refund.id)
    reason = STRIPE_REFUND_REASON + (f" ({refund.reason})" if getattr(refund, "reason", None) else "")
    OrderRefund.objects.create(
        order=order,
        source=source,
        amount=amount,
        token=f"stripe-{refund.id}",
        reference=refund.id,
        reason=reason[:255],
        created_by=None,
    )
    logger.info("Order #%s: refund %s of %s VND made at Stripe, recorded", order.number, refund.id, amount)
    return amount


def _reverse_refund(order, source, txn, refund):
    amount = txn.amount
    source.amount_refunded = max(source.amount_refunded - amount, Decimal(0))
    source.save(update_fields=["amount_refunded"])
    source.transactions.create(txn_type=REFUND_FAILED_TXN, amount=amount, reference=refund.id, status=refund.status)
    event_type, _created = PaymentEventType.objects.get_or_create(name=REFUND_FAILED_EVENT)
    PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount, reference=refund.id)
    logger.error(
        "Order #%s: Stripe refund %s of %s VND is %s; the shopper has not got the money back",
        order.number,
        refund.id,
        amount,
        refund.status,
    )
    return whole_dong(amount)


def _sync_intent_without_order(intent_id):
    """An intent of ours that pays for no order (refunded by the shop): keep its refunded amount true."""
    with transaction.atomic():
        row = StripePayment.objects.select_for_update().filter(intent_id=intent_id).first()
        if row is None:
            logger.info("Refund event for PaymentIntent %s, which is not one of ours; ignored", intent_id)
            return
        refunded = stripe_client.refunded_amount(intent_id)
        if refunded < row.amount_refunded:
            logger.error(
                "PaymentIntent %s: a refund failed at Stripe; %s VND not returned",
                intent_id,
                row.amount_refunded - refunded,
            )
        if refunded != row.amount_refunded:
            row.amount_refunded = refunded
            row.save(update_fields=["amount_refunded", "updated"])
