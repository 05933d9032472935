"""Cash on delivery and bank transfer: the order is placed unpaid; staff record the money when it comes.

An order of 0 ₫ (method FREE) is placed the same way, with nothing to record.

Unpaid transfers are cancelled after BANK_TRANSFER_EXPIRY_HOURS and their stock goes back on sale
(`manage.py expire_transfers`).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from shop.checkout import placement
from shop.order import statuses
from shop.partner.exceptions import InsufficientStock
from shop.payment import card
from shop.payment.models import PaymentAttempt, PaymentMethod

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
EventHandler = get_class("order.processing", "EventHandler")

logger = logging.getLogger("shop.payment")
State = PaymentAttempt.State
OFFLINE_SOURCES = ("cod", "bank-transfer")


class PaymentNotRecordable(Exception):
    """Staff tried to record money for an order that cannot take it (cancelled, already paid)."""


def place_offline(attempt, request=None):
    """Place the COD, transfer or 0 ₫ order for `attempt` (once, whatever the number of submits)."""
    attempt.refresh_from_db()
    if attempt.order_id:
        return card.Result("placed", order=attempt.order)
    if attempt.state == State.PROCESSING and not card.is_stale(attempt):
        return card.wait_for_other(attempt)
    # The shopper may have started paying by card for this basket and switched: settle that first.
    result = card.reconcile_attempt(attempt, cancel_unfinished=True, request=request)
    if result is not None and result.kind in ("placed", "refunded"):
        return result
    claimed = PaymentAttempt.objects.filter(
        pk=attempt.pk, order__isnull=True, state__in=[State.NEW, State.FAILED, State.CANCELLED, State.REQUIRES_ACTION]
    ).update(state=State.PROCESSING, processing_since=timezone.now())
    if not claimed:
        return card.wait_for_other(attempt)
    try:
        order, _created = placement.place_order(attempt, request=request)
    except InsufficientStock as exc:
        placement.release(attempt, State.FAILED)
        return card.Result("out_of_stock", message=card.out_of_stock_message(exc))
    except Exception:
        placement.release(attempt, State.FAILED)
        raise
    return card.Result("placed", order=order)


def unpaid_source(order):
    return order.sources.filter(source_type__code__in=OFFLINE_SOURCES).first()


def record_payment_received(order, user):
    """Staff record the COD cash collected or the transfer received: the order is then paid in full.

    A transfer order waiting for payment moves on to preparation. Raises `PaymentNotRecordable`.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        source = Source.objects.select_for_update().filter(order=order, source_type__code__in=OFFLINE_SOURCES).first()
        if source is None:
            raise PaymentNotRecordable(_("Đơn hàng này không thanh toán bằng COD hay chuyển khoản."))
        if order.status == statuses.CANCELLED:
            raise PaymentNotRecordable(_("Đơn hàng đã bị hủy; hãy liên hệ khách trước khi nhận tiền."))
        owed = source.amount_allocated - source.amount_debited
        if owed <= 0:
            raise PaymentNotRecordable(_("Đơn hàng này đã được ghi nhận là đã thanh toán."))
        reference = f"{source.source_type.code}:{user.get_username()}"
        source.debit(owed, reference=reference, status="received")
        placement.record_paid_event(order, owed, reference)
        if order.status == statuses.AWAITING_PAYMENT:
            order.set_status(statuses.PROCESSING)
    logger.info("Order #%s: %s VND recorded as received by %s", order.number, owed, user.get_username())
    return owed


def expire_transfers(now=None, hours=None):
    """Cancel transfer orders still unpaid after `hours` and release their stock; returns their numbers."""
    now = now or timezone.now()
    hours = settings.BANK_TRANSFER_EXPIRY_HOURS if hours is None else hours
    cutoff = now - timedelta(hours=hours)
    candidates = Order.objects.filter(
        status=statuses.AWAITING_PAYMENT,
        date_placed__lt=cutoff,
        payment_attempt__method=PaymentMethod.BANK_TRANSFER,
    ).values_list("pk", flat=True)
    expired = []
    for pk in candidates:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            source = Source.objects.select_for_update().filter(order=order, source_type__code="bank-transfer").first()
            # Re-checked under the lock: staff may have marked it paid a moment ago.
            if order.status != statuses.AWAITING_PAYMENT or (source and source.amount_debited > 0):
                continue
            EventHandler().cancel_stock_allocations(order)
            order.set_status(statuses.CANCELLED)
            expired.append(order.number)
    return expired
