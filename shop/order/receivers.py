"""When an order or a line changes status, whoever changes it (dashboard, expiry command, code):

- cancelled lines give their allocated stock back (shop.partner.stock, through Oscar's allocation);
- the shopper gets the status-change email (unless the lines' email already says it, see
  shop.order.processing.EventHandler.follow_lines).
"""

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_line_status_changed, order_status_changed
from oscar.core.loading import get_class

from shop.order import statuses
from shop.partner import stock


@receiver(order_status_changed, dispatch_uid="shop.order.release_cancelled_order_stock")
def release_stock_of_cancelled_order(sender, order, old_status, new_status, **kwargs):
    # Oscar's cascade has cancelled every line that could be (shipped lines stay as they are).
    if new_status == statuses.CANCELLED:
        stock.release_order_lines(order.lines.filter(status=statuses.CANCELLED).select_related("stockrecord"))


@receiver(order_line_status_changed, dispatch_uid="shop.order.release_cancelled_line_stock")
def release_stock_of_cancelled_line(sender, line, old_status, new_status, **kwargs):
    if new_status == statuses.CANCELLED:
        stock.release_order_lines([line])


@receiver(order_status_changed, dispatch_uid="shop.order.status_changed_email")
def email_status_change(sender, order, old_status, new_status, **kwargs):
    if getattr(order, "status_email_sent_with_lines", False):
        return
    # Queued after the commit (a rolled-back change is not announced) and sent by the task worker.
    dispatcher = get_class("order.utils", "OrderDispatcher")()
    transaction.on_commit(lambda: dispatcher.send_order_status_changed_email(order, old_status, new_status))
