"""Template access to the payment state of an order (dashboard payment actions)."""

from django import template

from shop.checkout.placement import whole_dong
from shop.payment.forms import RefundForm
from shop.payment.offline import OFFLINE_SOURCES
from shop.payment.refunds import refundable

register = template.Library()


@register.simple_tag
def payment_actions(order):
    """One entry per payment source: what can still be refunded, and what is still owed (COD/transfer)."""
    actions = []
    for source in order.sources.select_related("source_type"):
        owed = whole_dong(source.amount_allocated - source.amount_debited)
        actions.append(
            {
                "source": source,
                "refundable": refundable(source),
                "owed": owed if source.source_type.code in OFFLINE_SOURCES else 0,
                "token": RefundForm.new_token(),
            }
        )
    return actions
