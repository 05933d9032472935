"""Status-change emails: staff move an order on in the dashboard, the shopper hears about it."""

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_class


@receiver(order_status_changed, dispatch_uid="shop.order.status_changed_email")
def email_status_change(sender, order, old_status, new_status, **kwargs):
    # Queued after the commit (a rolled-back change is not announced) and sent by the task worker.
    dispatcher = get_class("order.utils", "OrderDispatcher")()
    transaction.on_commit(lambda: dispatcher.send_order_status_changed_email(order, old_status, new_status))
