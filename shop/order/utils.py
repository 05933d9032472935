"""Order placement remembers the shopper's language; order emails are sent in it.

Oscar's checkout calls `OrderDispatcher.send_order_placed_email_for_user` after placing an order;
code that places orders elsewhere (a payment webhook, a reconcile command) calls
`shop.order.emails.send_order_confirmation(order)`. Both end here.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.order import utils
from oscar.core.loading import get_model

from shop.order import emails, statuses

CommunicationEvent = get_model("order", "CommunicationEvent")

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

    def send_order_placed_email_for_user(self, order, extra_context, attachments=None):
        """Send the confirmation once per order, in the order's language, with payment instructions."""
        if self.already_sent(order, self.ORDER_PLACED_EVENT_CODE):
            self.dispatcher.logger.info("Order #%s - confirmation already sent", order.number)
            return
        with translation.override(order.language):
            context = {**(extra_context or {}), **emails.order_context(order)}
            attachments = list(attachments or []) + emails.confirmation_attachments(context)
            messages = self.dispatcher.get_messages(self.ORDER_PLACED_EVENT_CODE, context)
            self.dispatch_order_messages(order, messages, self.ORDER_PLACED_EVENT_CODE, attachments=attachments)

    def send_order_status_changed_email(self, order, old_status, new_status):
        """Tell the shopper their order moved on (or was cancelled), in the order's language."""
        with translation.override(order.language):
            context = {
                **emails.order_context(order),
                "old_status_label": statuses.label(old_status),
                "status_label": statuses.label(new_status),
                "status_note": statuses.note(new_status),
            }
            context["shipment_lines"] = [line for line in context["tracked_lines"] if line.shipments]
            messages = self.dispatcher.get_messages(self.ORDER_STATUS_CHANGED_EVENT_CODE, context)
            self.dispatch_order_messages(order, messages, self.ORDER_STATUS_CHANGED_EVENT_CODE)

    def send_order_lines_changed_email(self, order, line_ids, old_status):
        """Tell the shopper what happened to some lines (shipped with carrier and tracking, cancelled, ...).

        The status-change email, about lines: if the order moved on as well it says so; otherwise it
        names the lines' new status. One email per staff action, however many lines it touched.
        """
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
            self.dispatch_order_messages(order, messages, self.ORDER_STATUS_CHANGED_EVENT_CODE)

    def dispatch_order_messages(self, order, messages, event_code, attachments=None, **kwargs):
        if order.is_anonymous or order.user_id:
            super().dispatch_order_messages(order, messages, event_code, attachments=attachments, **kwargs)
        else:
            self.dispatcher.logger.warning("Order #%s has no email address; %s not sent", order.number, event_code)

    @staticmethod
    def already_sent(order, event_code) -> bool:
        return CommunicationEvent._default_manager.filter(order=order, event_type__code=event_code).exists()
