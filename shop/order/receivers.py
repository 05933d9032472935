"""Status-change emails: staff move an order on in the dashboard, the shopper hears about it."""

import logging

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_class

logger = logging.getLogger("shop.order")


@receiver(order_status_changed, dispatch_uid="shop.order.status_changed_email")
def email_status_change(sender, order, old_status, new_status, **kwargs):
    # After the commit: a rolled-back change must not be announced, and mail must not hold locks.
    transaction.on_commit(lambda: _send(order, old_status, new_status))


def _send(order, old_status, new_status):
    OrderDispatcher = get_class("order.utils", "OrderDispatcher")
    try:
        OrderDispatcher().send_order_status_changed_email(order, old_status, new_status)
    except Exception:
        # The status has changed either way; a mail server failure is logged, not shown to staff as a 500.
        logger.exception("Order #%s: status email (%s → %s) not sent", order.number, old_status, new_status)
