"""Stripe's webhook, the VietQR image of an order, and the staff payment actions of the dashboard."""

import logging

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from shop.payment import card, offline, refunds, stripe_client, vietqr
from shop.payment.forms import RefundForm
from shop.payment.models import PaymentMethod, StripePayment, WebhookEvent

Order = get_model("order", "Order")
logger = logging.getLogger("shop.payment")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: signature and timestamp checked, each event id handled once.

    The event body is only a hint: `place_order_for_intent` re-reads the intent from Stripe, and
    `record_stripe_refunds` the intent's refunds.
    """
    try:
        event = stripe_client.construct_event(request.body, request.headers.get("Stripe-Signature"))
    except ValueError:
        return JsonResponse({"error": "invalid payload"}, status=400)
    except stripe_client.SignatureVerificationError as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return JsonResponse({"error": "invalid signature"}, status=400)
    if not getattr(event, "id", None) or not getattr(event, "type", None):
        return JsonResponse({"error": "invalid payload"}, status=400)

    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(event_id=event.id, type=event.type)
        except IntegrityError:
            return JsonResponse({"status": "duplicate"})
        # If handling fails the event row rolls back too, so Stripe's retry is handled again.
        _handle(event, request)
    return JsonResponse({"status": "ok"})


def _handle(event, request):
    if event.type in stripe_client.REFUND_EVENTS:
        # Refunds, also those made in Stripe's dashboard: re-read from Stripe and recorded once.
        intent_id = _intent_of(event.data.object)
        if intent_id:
            refunds.record_stripe_refunds(intent_id)
        return
    if not event.type.startswith("payment_intent."):
        return
    intent_id = getattr(event.data.object, "id", "")
    if event.type == "payment_intent.succeeded":
        card.place_order_for_intent(intent_id)
    elif event.type in ("payment_intent.payment_failed", "payment_intent.canceled"):
        row = StripePayment.objects.filter(intent_id=intent_id).select_related("attempt").first()
        attempt = row.attempt if row else None
        # Only an attempt no browser is driving: the checkout handles its own declines.
        if attempt is not None and attempt.state == attempt.State.REQUIRES_ACTION:
            card.reconcile_attempt(attempt)


def _intent_of(obj):
    """The PaymentIntent id of a charge or refund in an event (a refund made on the charge may lack it)."""
    intent = getattr(obj, "payment_intent", None)
    if not intent and str(getattr(obj, "charge", "") or "").startswith("ch_"):
        intent = stripe_client.retrieve_charge(obj.charge).payment_intent
    intent = getattr(intent, "id", intent)
    return intent if isinstance(intent, str) and intent.startswith("pi_") else ""


@never_cache
@require_safe
def vietqr_png(request, number, signature):
    """The VietQR of a transfer order, for its thank-you page and emails (signed link, no login)."""
    order = get_object_or_404(Order, number=number)
    attempt = getattr(order, "payment_attempt", None)
    if not order.check_verification_hash(signature) or attempt is None:
        raise Http404
    if attempt.method != PaymentMethod.BANK_TRANSFER:
        raise Http404
    payload = vietqr.build_payload(order.total_incl_tax, vietqr.transfer_reference(order.number))
    response = HttpResponse(vietqr.qr_png(payload), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="vietqr-{order.number}.png"'
    return response


def _back_to_order(order):
    return redirect(reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#payment")


@staff_member_required
@require_POST
def refund(request, number):
    """Refund part or all of what one payment source of the order took."""
    order = get_object_or_404(Order, number=number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_order(order)
    data = form.cleaned_data
    try:
        record = refunds.refund_order(
            order, data["source"], data["amount"], data["token"], request.user, data["reason"]
        )
    except refunds.RefundNotAllowed as exc:
        messages.error(request, str(exc))
    except refunds.Source.DoesNotExist:
        messages.error(request, _("Không tìm thấy nguồn thanh toán này của đơn hàng."))
    except stripe_client.StripeError as exc:
        logger.exception("Order #%s: Stripe refused the refund", order.number)
        messages.error(
            request, _("Stripe không thực hiện được việc hoàn tiền: %(error)s") % {"error": exc.user_message or exc}
        )
    else:
        messages.success(
            request,
            _("Đã hoàn %(amount)s cho đơn %(number)s.")
            % {"amount": currency(record.amount, "VND"), "number": order.number},
        )
    return _back_to_order(order)


@staff_member_required
@require_POST
def record_received(request, number):
    """Staff record the COD cash collected or the bank transfer received."""
    order = get_object_or_404(Order, number=number)
    try:
        amount = offline.record_payment_received(order, request.user)
    except offline.PaymentNotRecordable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã ghi nhận %(amount)s cho đơn %(number)s.") % {"amount": currency(amount, "VND"), "number": number},
        )
    return _back_to_order(order)
