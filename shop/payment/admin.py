from django.contrib import admin
from oscar.apps.payment.admin import *  # noqa: F403

from shop.payment.models import OrderRefund, PaymentAttempt, StripePayment, WebhookEvent


class StripePaymentInline(admin.TabularInline):
    model = StripePayment
    extra = 0
    can_delete = False
    readonly_fields = ["intent_id", "amount", "status", "outcome", "amount_refunded", "refund_reason", "created"]


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    """Read-only: payment records are changed by the checkout, webhooks and commands, never by hand."""

    list_display = ["order_number", "method", "state", "amount", "order", "updated"]
    list_filter = ["method", "state"]
    search_fields = ["order_number", "intents__intent_id"]
    inlines = [StripePaymentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderRefund)
class OrderRefundAdmin(admin.ModelAdmin):
    list_display = ["order", "amount", "reference", "created_by", "created"]
    search_fields = ["order__number", "reference"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received"]
    search_fields = ["event_id"]
