"""Order and line statuses: stored in Vietnamese (what staff see in the dashboard), shown translated.

Settings import this module for Oscar's pipelines, so it imports nothing from Django's apps.
"""

from django.utils.translation import gettext_lazy as _

AWAITING_PAYMENT = "Chờ thanh toán"  # bank transfer not received yet
PLACED = "Đã đặt hàng"  # paid by card, or cash on delivery: ready to confirm
PROCESSING = "Đang chuẩn bị hàng"
SHIPPED = "Đang giao hàng"
DELIVERED = "Đã giao hàng"
CANCELLED = "Đã hủy"

ORDER_PIPELINE = {
    AWAITING_PAYMENT: (PROCESSING, CANCELLED),
    PLACED: (PROCESSING, CANCELLED),
    PROCESSING: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (),
    CANCELLED: (),
}
LINE_PIPELINE = {
    # A cooperative may hand a line to the carrier straight away, without marking it "preparing" first.
    PLACED: (PROCESSING, SHIPPED, CANCELLED),
    PROCESSING: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (),
    CANCELLED: (),
}
# When the order moves, its lines follow (Oscar's cascade).
ORDER_CASCADE = {PROCESSING: PROCESSING, SHIPPED: SHIPPED, DELIVERED: DELIVERED, CANCELLED: CANCELLED}

# What staff set on a line by hand; "shipped" and "delivered" follow the shipping events instead
# (a carrier and a tracking number go with them), see SHIPPING_EVENT_STATUS.
MANUAL_LINE_STATUSES = (PROCESSING, CANCELLED)

# Shipping events staff record on lines: ShippingEventType codes (the rows are created by a
# migration of shop.order) and the line status that follows once a line's whole quantity has
# been through the event.
HANDED_TO_CARRIER = "da-giao-don-vi-van-chuyen"
DELIVERED_TO_CUSTOMER = "khach-da-nhan-hang"
SHIPPING_EVENT_NAMES = {HANDED_TO_CARRIER: "Đã giao cho đơn vị vận chuyển", DELIVERED_TO_CUSTOMER: "Khách đã nhận hàng"}
SHIPPING_EVENT_STATUS = {HANDED_TO_CARRIER: SHIPPED, DELIVERED_TO_CUSTOMER: DELIVERED}
# The event a line must have been through first (for the same quantity).
SHIPPING_EVENT_REQUIRES = {DELIVERED_TO_CUSTOMER: HANDED_TO_CARRIER}
SHIPPING_EVENT_LABELS = {
    HANDED_TO_CARRIER: _("Đã giao cho đơn vị vận chuyển"),
    DELIVERED_TO_CUSTOMER: _("Khách đã nhận hàng"),
}

LABELS = {
    AWAITING_PAYMENT: _("Chờ thanh toán"),
    PLACED: _("Đã đặt hàng"),
    PROCESSING: _("Đang chuẩn bị hàng"),
    SHIPPED: _("Đang giao hàng"),
    DELIVERED: _("Đã giao hàng"),
    CANCELLED: _("Đã hủy"),
}

# What a shopper is told when their order reaches a status (status-change email).
NOTES = {
    PROCESSING: _("Chúng tôi đã nhận đơn và đang chuẩn bị hàng."),
    SHIPPED: _("Đơn hàng đang trên đường giao đến bạn; người giao hàng sẽ gọi trước khi đến."),
    DELIVERED: _("Đơn hàng đã giao xong. Cảm ơn bạn đã ủng hộ hạt điều của hợp tác xã!"),
    CANCELLED: _("Đơn hàng đã bị hủy. Nếu bạn đã thanh toán, chúng tôi sẽ hoàn lại tiền."),
}


def label(status: str) -> str:
    """The status in the active language (unknown statuses as stored)."""
    return str(LABELS.get(status, status or ""))


def note(status: str) -> str:
    """What the shopper should know about this status, or ""."""
    return str(NOTES.get(status, ""))


def event_label(event_type) -> str:
    """A shipping event type's name in the active language (types of our own making are translated)."""
    return str(SHIPPING_EVENT_LABELS.get(event_type.code, event_type.name))


def order_status_following(line_statuses) -> str | None:
    """The status an order takes when its lines (their statuses) have all got somewhere, or None.

    Every line cancelled: cancelled. Otherwise, of the lines not cancelled: all delivered gives
    delivered, all at least shipped gives shipped. "Preparing" is never derived: Oscar's cascade
    would push it onto the other cooperative's lines.
    """
    line_statuses = list(line_statuses)
    if not line_statuses:
        return None
    active = [status for status in line_statuses if status != CANCELLED]
    if not active:
        return CANCELLED
    if all(status == DELIVERED for status in active):
        return DELIVERED
    if all(status in (SHIPPED, DELIVERED) for status in active):
        return SHIPPED
    return None


def path(pipeline: dict, start: str, goal: str) -> list[str]:
    """The statuses to pass through from `start` to `goal` along `pipeline` (goal last), or []."""
    if start == goal:
        return []
    queue, seen = [[start]], {start}
    while queue:
        route = queue.pop(0)
        for nxt in pipeline.get(route[-1], ()):
            if nxt == goal:
                return route[1:] + [goal]
            if nxt not in seen:
                seen.add(nxt)
                queue.append(route + [nxt])
    return []
