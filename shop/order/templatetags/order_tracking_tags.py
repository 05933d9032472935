"""The shopper's view of an order's lines, for Oscar's account pages (shop.order.tracking)."""

from django import template

from shop.order import statuses, tracking

register = template.Library()


@register.simple_tag
def order_tracking(order):
    """{"lines": each line with its status and shipments, "has_shipments": bool} (three queries)."""
    return tracking.tracking_context(order)


class _OrderInShoppersLanguage:
    """`order` as Oscar's account templates print it: everything as stored, but the status translated.

    Statuses are stored in Vietnamese (shop.order.statuses); Oscar's templates print `order.status` raw.
    """

    def __init__(self, order):
        self._order = order

    def __getattr__(self, name):
        return getattr(self._order, name)

    @property
    def status(self):
        return statuses.label(self._order.status)


@register.filter
def status_translated(order):
    """{% with order=order|status_translated %}{{ block.super }}{% endwith %} around an Oscar block."""
    return _OrderInShoppersLanguage(order)
