"""Order placement remembers the shopper's language; order emails are sent in it, off the request path.

Oscar's checkout calls `OrderDispatcher.send_order_placed_email_for_user` after placing an order;
code that places orders elsewhere (a payment webhook, a reconcile command) calls
`shop.order.emails.send_order_confirmation(order)`. Both queue `shop.tasks.send_order_email_task`
after the commit; the task calls `OrderDispatcher.deliver`, which renders and sends the email.
"""

import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.order import utils
from oscar.core.loading import get_model

from shop.order import emails, statuses

CommunicationEvent = get_model("order", "CommunicationEvent")
Order = get_model("order", "Order")

logger = logging.getLogger("shop.order")


class OrderCreator(utils.OrderCreator):
    def create_order_model(self, *args, **extra_order_fields):
        # The checkout runs in the shopper's language; a webhook passes `language=` explicitly.
        extra_order_fields.setdefault("language", emails.supported_language(translation.get_language()))
        return super().create_order_model(*args, **extra_order_fields)


class OrderDispatcher(utils.OrderDispatcher):
    ORDER_STATUS_CHANGED_EVENT_CODE = emails.ORDER_STATUS_CHANGED

    def __init__(self, logger=logger, mail_connection=None):
        super().__init__(logger=logger, mail_connection=mail_connection)

    def send_order_placed_email_for_user(self, order, extra_context=None, attachments=None):
        """Queue the confirmation (Oscar's checkout calls this); the task builds its own context and QR."""
        emails.queue_order_email(order, self.ORDER_PLACED_EVENT_CODE)

    def send_order_status_changed_email(self, order, old_status, new_status):
        """Queue the mail telling the shopper their order moved on (or was cancelled)."""
        emails.queue_order_email(order, self.ORDER_STATUS_CHANGED_EVENT_CODE, old_status, new_status)

    def deliver(self, order_id, event_code, old_status="", new_status="", line_ids=None) -> int:
        """Render and send one order email now (the task's body); returns the number of messages sent."""
        try:
            if event_code == self.ORDER_PLACED_EVENT_CODE:
                return self.deliver_order_placed_email(order_id)
            if event_code == self.ORDER_STATUS_CHANGED_EVENT_CODE:
                return self.deliver_status_changed_email(order_id, old_status, new_status)
            if event_code == emails.ORDER_LINES_CHANGED:
                return self.deliver_lines_changed_email(order_id, line_ids or [], old_status)
            raise ValueError(f"unknown order email {event_code!r}")
        except Exception:
            # The order stands either way; the task is recorded as failed with this traceback.
            if event_code == self.ORDER_PLACED_EVENT_CODE:
                logger.exception("Order id %s: confirmation email not sent", order_id)
            elif event_code == emails.ORDER_LINES_CHANGED:
                logger.exception("Order id %s: email about lines %s not sent", order_id, line_ids)
            else:
                logger.exception("Order id %s: status email (%s → %s) not sent", order_id, old_status, new_status)
            raise

    def deliver_order_placed_email(self, order_id) -> int:
        """Send the confirmation once per order, in the order's language, with payment instructions."""
        with transaction.atomic():
            # The row lock makes "not sent yet → send → record it" one step for concurrent workers.
            order = Order._default_manager.select_for_update().get(pk=order_id)
            if self.already_sent(order, self.ORDER_PLACED_EVENT_CODE):
                self.dispatcher.logger.info("Order #%s - confirmation already sent", order.number)
                return 0
            with translation.override(order.language):
                context = emails.order_context(order)
                attachments = emails.confirmation_attachments(context)
                messages = self.dispatcher.get_messages(self.ORDER_PLACED_EVENT_CODE, context)
                return self.dispatch_order_messages(
                    order, messages, self.ORDER_PLACED_EVENT_CODE, attachments=attachments
                )

    def deliver_status_changed_email(self, order_id, old_status, new_status) -> int:
        order = Order._default_manager.get(pk=order_id)
        with translation.override(order.language):
            context = {
                **emails.order_context(order),
                "old_status_label": statuses.label(old_status),
                "status_label": statuses.label(new_status),
                "status_note": statuses.note(new_status),
            }
            context["shipment_lines"] = [line for line in context["tracked_lines"] if line.shipments]
            messages = self.dispatcher.get_messages(self.ORDER_STATUS_CHANGED_EVENT_CODE, context)
            return self.dispatch_order_messages(order, messages, self.ORDER_STATUS_CHANGED_EVENT_CODE)

    def send_order_lines_changed_email(self, order, line_ids, old_status):
        """Queue the mail about what happened to some lines (see deliver_lines_changed_email)."""
        emails.queue_order_email(order, emails.ORDER_LINES_CHANGED, old_status, line_ids=line_ids)

    def deliver_lines_changed_email(self, order_id, line_ids, old_status) -> int:
        """Tell the shopper what happened to some lines (shipped with carrier and tracking, cancelled, ...).

        The status-change email, about lines: if the order moved on as well it says so; otherwise it
        names the lines' new status. One email per staff action, however many lines it touched.
        """
        order = Order._default_manager.get(pk=order_id)
        with translation.override(order.language):
            context = emails.order_context(order)
            changed = [line for line in context["tracked_lines"] if line.pk in set(line_ids)]
            if order.status != old_status:
                status_label, status_note = statuses.label(order.status), statuses.note(order.status)
            else:
                line_statuses = {line.status_code for line in changed}
                status_label = statuses.label(*line_statuses) if len(line_statuses) == 1 else _("Cập nhật đơn hàng")
                status_note = ""
                if statuses.CANCELLED in line_statuses:
                    status_note = _(
                        "Sản phẩm đã hủy không bị tính tiền; nếu bạn đã thanh toán, chúng tôi sẽ hoàn lại phần tiền đó."
                    )
            context.update(
                {
                    "old_status_label": statuses.label(old_status),
                    "status_label": status_label,
                    "status_note": status_note,
                    "order_moved_on": order.status != old_status,
                    "lines_changed": True,
                    "shipment_lines": changed,
                }
            )
            messages = self.dispatcher.get_messages(self.ORDER_STATUS_CHANGED_EVENT_CODE, context)
            return self.dispatch_order_messages(order, messages, self.ORDER_STATUS_CHANGED_EVENT_CODE)

    def dispatch_order_messages(self, order, messages, event_code, attachments=None, **kwargs) -> int:
        if order.is_anonymous or order.user_id:
            super().dispatch_order_messages(order, messages, event_code, attachments=attachments, **kwargs)
            return 1
        self.dispatcher.logger.warning("Order #%s has no email address; %s not sent", order.number, event_code)
        return 0

    @staticmethod
    def already_sent(order, event_code) -> bool:
        return CommunicationEvent._default_manager.filter(order=order, event_type__code=event_code).exists()
