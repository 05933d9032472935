"""Template access to the payment state of an order (dashboard payment actions)."""

from django import template

from shop.checkout.placement import whole_dong
from shop.payment.forms import RefundForm
from shop.payment.offline import OFFLINE_SOURCES
from shop.payment.refunds import refund_due, refundable

register = template.Library()


@register.simple_tag
def payment_actions(order):
    """One entry per payment source: what can still be refunded, what is still owed (COD/transfer),
    and what should be refunded for cancelled lines (`due`, which the refund form suggests)."""
    actions = []
    due = refund_due(order)
    for source in order.sources.select_related("source_type"):
        owed = whole_dong(source.amount_allocated - source.amount_debited)
        limit = refundable(source)
        suggested = min(due, limit)
        due -= suggested
        actions.append(
            {
                "source": source,
                "refundable": limit,
                "due": suggested,
                "owed": owed if source.source_type.code in OFFLINE_SOURCES else 0,
                "token": RefundForm.new_token(),
            }
        )
    return actions
