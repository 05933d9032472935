"""The shopper's view of an order's lines, for Oscar's account pages (shop.order.tracking)."""

from django import template

from shop.order import tracking

register = template.Library()


@register.simple_tag
def order_tracking(order):
    """{"lines": each line with its status and shipments, "has_shipments": bool} (three queries)."""
    return tracking.tracking_context(order)
