"""How staff actions move an order on (Oscar's EventHandler, which the dashboard calls for them).

- A shipping event names the carrier and the tracking number; handing units to the carrier takes
  them out of stock (Oscar's allocation consumption, shop.partner.stock).
- A line's status follows its shipping events (statuses.SHIPPING_EVENT_STATUS) once its whole
  quantity has been through them; by hand staff only set "preparing" or "cancelled".
- The order follows its lines when they have all got somewhere (statuses.order_status_following),
  so a single-cooperative order shows "shipping" once that cooperative has shipped.
- The shopper gets one email per action, naming the lines, their status, carrier and tracking number.

Stock of a cancelled line or order goes back on sale in shop.order.receivers, whoever cancels.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order import exceptions, processing

from shop.order import emails, statuses
from shop.order.carriers import Carrier
from shop.partner import stock


class EventHandler(processing.EventHandler):
    def handle_shipping_event(self, order, event_type, lines, line_quantities, **kwargs):
        """Record the event (carrier, tracking number), move stock and statuses on, tell the shopper."""
        with transaction.atomic():
            old_status = self.lock(order)
            self.validate_shipping_event(order, event_type, lines, line_quantities, **kwargs)
            event = self.create_shipping_event(order, event_type, lines, line_quantities, **kwargs)
            if event_type.code == statuses.HANDED_TO_CARRIER:
                for line, quantity in zip(lines, line_quantities, strict=True):
                    stock.consume_for_shipment(line, quantity)
            self.follow_shipping_event(event_type, lines)
            self.follow_lines(order)
            if event_type.code in statuses.SHIPPING_EVENT_STATUS or order.status != old_status:
                emails.announce_line_changes(order, lines, old_status)
        return event

    def validate_shipping_event(self, order, event_type, lines, line_quantities, **kwargs):
        super().validate_shipping_event(order, event_type, lines, line_quantities, **kwargs)
        if order.status == statuses.AWAITING_PAYMENT:
            raise exceptions.InvalidShippingEvent(
                _("Đơn hàng đang chờ chuyển khoản; chưa gửi hàng khi chưa nhận tiền.")
            )
        if order.status == statuses.CANCELLED:
            raise exceptions.InvalidShippingEvent(_("Đơn hàng đã bị hủy."))
        code = event_type.code
        if code == statuses.HANDED_TO_CARRIER:
            carrier = kwargs.get("carrier", "")
            if carrier not in Carrier.values:
                raise exceptions.InvalidShippingEvent(_("Hãy chọn đơn vị vận chuyển."))
            if carrier == Carrier.OTHER and not kwargs.get("carrier_name"):
                raise exceptions.InvalidShippingEvent(_("Hãy ghi tên đơn vị vận chuyển."))
            if carrier != Carrier.OTHER and not kwargs.get("tracking_number"):
                raise exceptions.InvalidShippingEvent(_("Hãy nhập mã vận đơn của đơn vị vận chuyển."))
        target = statuses.SHIPPING_EVENT_STATUS.get(code)
        required = statuses.SHIPPING_EVENT_REQUIRES.get(code)
        for line, quantity in zip(lines, line_quantities, strict=True):
            if target and line.status != target and not statuses.path(line.pipeline, line.status, target):
                raise exceptions.InvalidShippingEvent(
                    _("Dòng #%(line)s đang “%(status)s”, không thể ghi “%(event)s”.")
                    % {
                        "line": line.pk,
                        "status": statuses.label(line.status),
                        "event": statuses.event_label(event_type),
                    }
                )
            if required:
                before = line.shipping_event_quantity(event_type) + quantity
                if before > self._event_quantity(line, required):
                    raise exceptions.InvalidShippingEvent(
                        _("Dòng #%(line)s: chưa giao cho đơn vị vận chuyển đủ số lượng này.") % {"line": line.pk}
                    )

    @staticmethod
    def _event_quantity(line, code):
        return sum(
            q.quantity for q in line.shipping_event_quantities.filter(event__event_type__code=code).only("quantity")
        )

    def create_shipping_event(self, order, event_type, lines, line_quantities, **kwargs):
        event = order.shipping_events.model(
            order=order,
            event_type=event_type,
            carrier=kwargs.get("carrier", ""),
            carrier_name=kwargs.get("carrier_name", "") if kwargs.get("carrier") == Carrier.OTHER else "",
            tracking_number=kwargs.get("tracking_number", ""),
        )
        event.notes = "; ".join(part for part in (event.summary(), kwargs.get("reference") or "") if part)
        event.save()
        for line, quantity in zip(lines, line_quantities, strict=True):
            event.line_quantities.create(line=line, quantity=quantity)
        return event

    def follow_shipping_event(self, event_type, lines):
        """Lines whose whole quantity has been through the event take the status it leads to."""
        target = statuses.SHIPPING_EVENT_STATUS.get(event_type.code)
        if not target:
            return
        for line in lines:
            if line.status != target and line.shipping_event_quantity(event_type) >= line.quantity:
                for status in statuses.path(line.pipeline, line.status, target):
                    line.set_status(status)

    def handle_line_status_change(self, order, lines, new_status, note_msg=None):
        """Staff set lines to "preparing" or "cancelled"; the order follows; the shopper hears of a cancellation."""
        if new_status not in statuses.MANUAL_LINE_STATUSES:
            raise exceptions.InvalidLineStatus(
                _("“%(status)s” đi theo sự kiện giao hàng; hãy ghi sự kiện giao hàng.")
                % {"status": statuses.label(new_status)}
            )
        with transaction.atomic():
            old_status = self.lock(order)
            for line in lines:
                line.set_status(new_status)
            if note_msg:
                self.create_note(order, note_msg)
            self.follow_lines(order)
            if new_status == statuses.CANCELLED or order.status != old_status:
                emails.announce_line_changes(order, lines, old_status)

    @staticmethod
    def lock(order) -> str:
        """Lock the order's row for the transaction and return its current status.

        Two cooperatives shipping their lines of one order at the same moment would each see the
        other's line unshipped and leave the order behind; with the lock the second one waits and
        then sees the first's lines.
        """
        order.status = (
            type(order)._default_manager.select_for_update().values_list("status", flat=True).get(pk=order.pk)
        )
        return order.status

    def follow_lines(self, order):
        """Move the order to the status its lines have all reached (statuses.order_status_following)."""
        target = statuses.order_status_following(order.lines.values_list("status", flat=True))
        if target is None or target == order.status:
            return
        route = statuses.path(order.pipeline, order.status, target)
        # The lines' email says it; the order's own status email (shop.order.receivers) stays quiet.
        order.status_email_sent_with_lines = True
        try:
            for status in route:
                order.set_status(status)
        finally:
            order.status_email_sent_with_lines = False
