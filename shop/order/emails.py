"""What the order emails say and how they find their links, QR code and language.

Templates: templates/oscar/communication/emails/commtype_order_placed_* and
commtype_order_status_changed_* (Oscar's communication framework picks them by event code).
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from email.mime.image import MIMEImage

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from shop.order import statuses, tracking
from shop.payment import vietqr

logger = logging.getLogger("shop.order")

ORDER_PLACED = "ORDER_PLACED"
ORDER_STATUS_CHANGED = "ORDER_STATUS_CHANGED"
# Not an Oscar event type of its own: the status-change email, about some lines (the task's name for it).
ORDER_LINES_CHANGED = "ORDER_LINES_CHANGED"

# Payment methods as the payment app records them (shop.payment.models.PaymentMethod values).
CARD, COD, BANK_TRANSFER = "card", "cod", "bank_transfer"
QR_CONTENT_ID = "vietqr"


def supported_language(code) -> str:
    """One of settings.LANGUAGES for a language code such as "en-us"; the default otherwise."""
    code = (code or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """The public URL of a site path (SITE_URL, never the request's host: emails leave the request)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@dataclass
class EmailLine:
    line: object
    url: str
    is_trace: bool


@dataclass
class PaymentInstructions:
    method: str
    amount: Decimal
    reference: str
    qr_payload: str = ""
    qr_png: bytes = b""
    bank: dict = field(default_factory=dict)
    expiry_hours: int = 0

    @property
    def qr_cid(self) -> str:
        return QR_CONTENT_ID if self.qr_png else ""


def order_context(order) -> dict:
    """Context for the order emails, in the active language (the caller activates the order's)."""
    return {
        "order": order,
        "email_lines": [EmailLine(line, *line_link(line)) for line in order.lines.select_related("product")],
        "status_label": statuses.label(order.status),
        "status_url": absolute_url(status_path(order)),
        "tracking_url": absolute_url(reverse("order-tracking:track")),
        "home_url": absolute_url("/" if get_language() == settings.LANGUAGE_CODE else f"/{get_language()}/"),
        "payment": payment_instructions(order),
        "shop_name": settings.OSCAR_SHOP_NAME,
        "tracked_lines": tracking.tracked_lines(order),
    }


def status_path(order) -> str:
    """A link that shows this order's status without signing in (signed with the order number)."""
    return reverse("order-tracking:signed", kwargs={"number": order.number, "signature": order.verification_hash()})


def line_link(line) -> tuple[str, bool]:
    """(URL, is_trace): the public traceability page of the line's lot, else the product page."""
    lot = lot_for_line(line)
    if lot is not None:
        try:
            return absolute_url(lot.get_absolute_url()), True
        except NoReverseMatch:  # traceability pages not mounted
            pass
    if line.product_id:
        try:
            return absolute_url(line.product.get_absolute_url()), False
        except NoReverseMatch:
            pass
    return "", False


def lot_for_line(line):
    """The lot a line most likely ships from: its product's newest public, released lot, or None.

    Orders do not record lots, so this is the lot on sale when the email is written.
    """
    if not line.product_id:
        return None
    Lot = apps.get_model("catalogue", "Lot")
    lots = Lot.objects.public().filter(product_id=line.product_id, status=Lot.Status.RELEASED)
    return lots.order_by(F("packing_date").desc(nulls_last=True), "-pk").first()


def payment_method(order) -> str:
    """How the order is paid: CARD, COD, BANK_TRANSFER or "free" for 0 ₫ (from the payment app), or ""."""
    attempt = getattr(order, "payment_attempt", None)
    return getattr(attempt, "method", "") or ""


def payment_instructions(order) -> PaymentInstructions:
    """How to pay: for a bank transfer the account, the exact amount, the reference and the VietQR."""
    amount = order.total_incl_tax
    method = payment_method(order)
    if method != BANK_TRANSFER:
        return PaymentInstructions(method=method, amount=amount, reference=order.number)
    reference = vietqr.transfer_reference(order.number)
    payload = vietqr.build_payload(amount, reference)
    return PaymentInstructions(
        method=method,
        amount=amount,
        reference=reference,
        qr_payload=payload,
        qr_png=vietqr.qr_png(payload),
        bank=vietqr.bank_account(),
        expiry_hours=settings.BANK_TRANSFER_EXPIRY_HOURS,
    )


def confirmation_attachments(context) -> list:
    """The VietQR image as an inline attachment the HTML body shows with cid:vietqr."""
    payment = context.get("payment")
    if not payment or not payment.qr_png:
        return []
    image = MIMEImage(payment.qr_png, "png")
    image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
    image.add_header("Content-Disposition", "inline", filename=f"vietqr-{payment.reference}.png")
    return [image]


def queue_order_email(order, event_code, old_status="", new_status="", line_ids=None):
    """Queue one order email (`shop.tasks.send_order_email_task`, by order id); returns the task result.

    Call it after the commit (`transaction.on_commit`): a rolled-back order or status change must
    announce nothing, and the worker must be able to see the order. With the immediate backend (dev,
    tests, `make run`) the email is sent before this returns; in production `db_worker` sends it.
    """
    from shop.tasks import send_order_email_task

    return send_order_email_task.enqueue(
        order_id=order.pk,
        event_code=event_code,
        old_status=old_status or "",
        new_status=new_status or "",
        line_ids=[int(pk) for pk in line_ids or []],
    )


def announce_line_changes(order, lines, old_status) -> None:
    """After the commit, one email to the shopper about these lines: status, carrier, tracking number.

    `old_status` is the order's status before the change; if the order moved on too, the email says so.
    """
    line_ids = [line.pk for line in lines]
    transaction.on_commit(lambda: _send_line_changes(order.pk, line_ids, old_status))


def _send_line_changes(order_pk, line_ids, old_status):
    from oscar.core.loading import get_class

    order = apps.get_model("order", "Order")._default_manager.get(pk=order_pk)
    try:
        get_class("order.utils", "OrderDispatcher")().send_order_lines_changed_email(order, line_ids, old_status)
    except Exception:
        # The change is made either way; a queue failure is logged, not shown to staff as a 500.
        logger.exception("Order #%s: email about lines %s not queued", order.number, line_ids)


def send_order_confirmation(order):
    """Queue the order confirmation (sent once per order, in the order's language), after the commit.

    For code that places orders outside Oscar's checkout views, such as a payment webhook.
    """
    return queue_order_email(order, ORDER_PLACED)
