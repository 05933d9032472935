"""Refunds from the dashboard, full or partial, never more than what was paid and not yet refunded.

Card refunds go to Stripe (which refuses over-refunds; localstripe does not, so the limit is ours);
COD and transfer refunds are paid back by staff outside the shop and only recorded here.
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
from shop.payment.models import OrderRefund

Source = get_model("payment", "Source")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")

logger = logging.getLogger("shop.payment")
REFUND_EVENT = "Hoàn tiền"


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
            reference = refund.id
        else:
            reference = f"{source.source_type.code}:{user.get_username()}"
        source.refund(Decimal(amount), reference=reference, status="succeeded")
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
