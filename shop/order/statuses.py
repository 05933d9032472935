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
    PLACED: (PROCESSING, CANCELLED),
    PROCESSING: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (),
    CANCELLED: (),
}
# When the order moves, its lines follow (Oscar's cascade).
ORDER_CASCADE = {PROCESSING: PROCESSING, SHIPPED: SHIPPED, DELIVERED: DELIVERED, CANCELLED: CANCELLED}

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
