"""Payments: one row per basket being paid for, one per Stripe PaymentIntent, webhook and refund logs.

Amounts are whole đồng in integer fields (Stripe takes VND as a zero-decimal integer); Oscar's own
payment models (`Source`, `Transaction`) keep the per-order ledger the dashboard shows.
New models go above the trailing import so Oscar's loader picks ours first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Thẻ quốc tế (Visa, Mastercard)")
    COD = "cod", _("Thanh toán khi nhận hàng (COD)")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản ngân hàng (VietQR)")
    # Only for an order of 0 ₫ (a voucher pays for everything, delivery included): nothing is charged.
    FREE = "free", _("Không cần thanh toán")


class PaymentAttempt(models.Model):
    """The payment of one basket: the row that is locked while its order is placed.

    It holds the stock reserved for the basket before any card is charged, and a snapshot of the
    checkout (address, shipping, total) so the order can be placed from a webhook or
    `reconcile_payments` when the shopper's browser never comes back.
    """

    class State(models.TextChoices):
        NEW = "new", _("Mới")
        PROCESSING = "processing", _("Đang xử lý thanh toán")
        REQUIRES_ACTION = "requires_action", _("Chờ xác thực 3-D Secure")
        FAILED = "failed", _("Thanh toán không thành công")
        CANCELLED = "cancelled", _("Đã hủy (hết thời gian)")
        PLACED = "placed", _("Đã đặt hàng")

    basket = models.OneToOneField("basket.Basket", on_delete=models.PROTECT, related_name="payment_attempt")
    order_number = models.CharField(_("Số đơn hàng"), max_length=128, unique=True)
    method = models.CharField(_("Cách thanh toán"), max_length=20, choices=PaymentMethod.choices)
    state = models.CharField(_("Trạng thái"), max_length=20, choices=State.choices, default=State.NEW)
    amount = models.PositiveBigIntegerField(_("Số tiền (đồng)"))
    currency = models.CharField(max_length=3, default="VND")
    # {stock record id: units} allocated for this basket and not yet owned by an order.
    reserved_stock = models.JSONField(default=dict, blank=True)
    checkout = models.JSONField(_("Dữ liệu thanh toán"), default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    order = models.OneToOneField(
        "order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="payment_attempt"
    )
    processing_since = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Lượt thanh toán")
        verbose_name_plural = _("Lượt thanh toán")
        indexes = [models.Index(fields=["state", "updated"])]

    def __str__(self):
        return f"{self.order_number} ({self.get_method_display()}, {self.get_state_display()})"


class StripePayment(models.Model):
    """A PaymentIntent this shop created, with what it last saw of it and what it refunded."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Chưa xong")
        PAID_ORDER = "paid_order", _("Đã trả cho đơn hàng")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Đã hủy")
        REFUNDED = "refunded", _("Đã hoàn tiền tự động")

    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.PROTECT, related_name="intents")
    intent_id = models.CharField(max_length=255, unique=True)
    amount = models.PositiveBigIntegerField(_("Số tiền (đồng)"))
    status = models.CharField(_("Trạng thái Stripe"), max_length=40, default="requires_confirmation")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING, blank=True)
    amount_refunded = models.PositiveBigIntegerField(default=0)
    refund_reason = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Giao dịch thẻ (Stripe)")
        verbose_name_plural = _("Giao dịch thẻ (Stripe)")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.intent_id} {self.amount} VND {self.status}"


class WebhookEvent(models.Model):
    """Stripe event ids already handled: a redelivered event is acknowledged and ignored."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Sự kiện webhook Stripe")
        verbose_name_plural = _("Sự kiện webhook Stripe")

    def __str__(self):
        return f"{self.event_id} {self.type}"


class OrderRefund(models.Model):
    """A refund staff asked for on an order; `token` makes a double-submitted form refund once."""

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    source = models.ForeignKey("payment.Source", on_delete=models.PROTECT, related_name="refund_requests")
    amount = models.PositiveBigIntegerField(_("Số tiền (đồng)"))
    token = models.CharField(max_length=64, unique=True)
    reference = models.CharField(_("Mã hoàn tiền"), max_length=255, blank=True)
    reason = models.CharField(_("Lý do"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Hoàn tiền")
        verbose_name_plural = _("Hoàn tiền")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.order.number}: {self.amount} VND"


from oscar.apps.payment.models import *  # noqa: E402,F403
