"""Card payments through Stripe PaymentIntents, confirmed on the server after the stock is secured.

    pay_by_card(attempt, payment_method)   checkout submit: reserve stock, create, confirm
    handle_return(attempt)                 after 3-D Secure in the browser
    place_order_for_intent(intent_id)      the idempotent end of every path (also webhook, reconcile)
    reconcile_attempt(attempt, ...)        settle whatever is unfinished (reconcile_payments)

Invariants: an intent is created only after the attempt has claimed the basket (state PROCESSING) and
reserved its stock, so a double submit never makes a second charge; every succeeded intent either
pays for the basket's one order or is refunded in full.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.templatetags.currency_filters import currency

from shop.checkout import placement
from shop.partner.exceptions import InsufficientStock
from shop.payment import stripe_client
from shop.payment.models import PaymentAttempt, StripePayment

logger = logging.getLogger("shop.payment")

State = PaymentAttempt.State
Outcome = StripePayment.Outcome
# A claim older than this is a process that died mid-payment: reconcile it rather than wait.
STALE_PROCESSING_SECONDS = 120
# How long a second submit waits for the first one to finish.
WAIT_FOR_OTHER_SECONDS = 15


@dataclass
class Result:
    """What the checkout should do next."""

    kind: str  # placed | requires_action | declined | out_of_stock | refunded | in_progress | error
    order: object = None
    message: str = ""


def decline_message(code):
    """The shopper's explanation of a failed card payment, in their language."""
    if code == "amount_too_small":
        return _(
            "Số tiền này nhỏ hơn mức tối thiểu mà cổng thanh toán thẻ nhận. Chưa có khoản tiền nào bị trừ. "
            "Vui lòng chọn cách thanh toán khác."
        )
    messages = {
        "insufficient_funds": _("Thẻ không đủ số dư để thanh toán."),
        "expired_card": _("Thẻ đã hết hạn."),
        "incorrect_cvc": _("Mã bảo mật (CVC) không đúng."),
        "incorrect_number": _("Số thẻ không đúng."),
        "payment_intent_authentication_failure": _("Xác thực 3-D Secure không thành công."),
        "authentication_required": _("Ngân hàng yêu cầu xác thực 3-D Secure nhưng chưa hoàn tất."),
    }
    reason = messages.get(code, _("Ngân hàng đã từ chối thẻ này."))
    return _("%(reason)s Chưa có khoản tiền nào bị trừ. Vui lòng thử thẻ khác hoặc chọn cách thanh toán khác.") % {
        "reason": reason
    }


def out_of_stock_message(exc):
    record = exc.stockrecord
    free = max((record.num_in_stock or 0) - (record.num_allocated or 0), 0)
    return _(
        "Rất tiếc, “%(title)s” chỉ còn %(free)s sản phẩm, không đủ %(wanted)s như trong giỏ hàng. "
        "Chưa có khoản tiền nào bị trừ. Vui lòng sửa giỏ hàng rồi đặt lại."
    ) % {"title": record.product.get_title(), "free": free, "wanted": exc.quantity}


def refunded_message(amount):
    return _(
        "Rất tiếc, sản phẩm đã hết hàng ngay trong lúc thẻ được thanh toán nên đơn hàng không thể đặt. "
        "Khoản %(amount)s đã được hoàn lại tự động vào thẻ của bạn."
    ) % {"amount": currency(amount, "VND")}


# Entry points
# ------------------------------------------------------------------------------


def pay_by_card(attempt, payment_method, request=None):
    """Charge the basket of `attempt` with `payment_method` (a Stripe.js pm_/card_ id), at most once."""
    attempt.refresh_from_db()
    if attempt.order_id:
        return Result("placed", order=attempt.order)
    if attempt.state == State.PROCESSING and not is_stale(attempt):
        return wait_for_other(attempt)
    # Anything left from an earlier try (3-D Secure abandoned, a crash) is settled first: a succeeded
    # intent becomes the order, an unfinished one is cancelled so it can never charge later.
    result = reconcile_attempt(attempt, cancel_unfinished=True, request=request)
    if result is not None and result.kind in ("placed", "refunded"):
        return result
    if attempt.amount < settings.STRIPE_MINIMUM_CHARGE_VND:
        # The checkout offers no card for this amount; Stripe would refuse it (and 0 ₫ is no payment).
        return Result("declined", message=decline_message("amount_too_small"))
    claimed = PaymentAttempt.objects.filter(
        pk=attempt.pk, order__isnull=True, state__in=[State.NEW, State.FAILED, State.CANCELLED, State.REQUIRES_ACTION]
    ).update(state=State.PROCESSING, processing_since=timezone.now())
    if not claimed:
        return wait_for_other(attempt)
    try:
        placement.reserve(attempt)
    except InsufficientStock as exc:
        placement.release(attempt, State.FAILED)
        return Result("out_of_stock", message=out_of_stock_message(exc))

    sequence = attempt.intents.count() + 1
    try:
        intent = stripe_client.create_intent(
            attempt.amount,
            payment_method,
            metadata={"attempt_id": attempt.pk, "basket_id": attempt.basket_id, "order_number": attempt.order_number},
            idempotency_key=f"attempt-{attempt.pk}-intent-{sequence}",
        )
    except stripe_client.StripeError as exc:
        # Nothing was charged: an unconfirmed intent (if any) is harmless.
        logger.warning("Attempt %s: could not create a PaymentIntent: %s", attempt.pk, exc)
        placement.release(attempt, State.FAILED)
        return Result("declined", message=decline_message(getattr(exc, "code", "")))
    row = StripePayment.objects.create(
        attempt=attempt, intent_id=intent.id, amount=attempt.amount, status=intent.status
    )

    try:
        intent = stripe_client.confirm_intent(intent.id, idempotency_key=f"confirm-{intent.id}")
    except stripe_client.CardError as exc:
        _set_status(row, "requires_payment_method", Outcome.FAILED)
        placement.release(attempt, State.FAILED)
        return Result("declined", message=decline_message(exc.code))
    except stripe_client.StripeError:
        # The answer was lost: the intent may or may not have charged. Read it back once.
        logger.exception("Attempt %s: confirming %s failed", attempt.pk, row.intent_id)
        try:
            intent = stripe_client.retrieve_intent(row.intent_id)
        except stripe_client.StripeError:
            return Result("in_progress")
    return _after_confirm(attempt, row, intent, request)


def handle_return(attempt, request=None):
    """The browser is back from 3-D Secure: the intent (re-read from Stripe) decides."""
    attempt.refresh_from_db()
    if attempt.order_id:
        return Result("placed", order=attempt.order)
    row = attempt.intents.filter(outcome=Outcome.PENDING).order_by("-pk").first()
    if row is None:
        if attempt.state == State.FAILED:
            return Result("declined", message=decline_message(""))
        return Result("error", message=_("Không tìm thấy giao dịch thẻ đang chờ. Vui lòng thanh toán lại."))
    intent = stripe_client.retrieve_intent(row.intent_id)
    return _after_confirm(attempt, row, intent, request)


def client_secret(attempt):
    """The client secret of the intent waiting for 3-D Secure, or None (never stored in our database)."""
    row = attempt.intents.filter(outcome=Outcome.PENDING).order_by("-pk").first()
    if row is None:
        return None
    intent = stripe_client.retrieve_intent(row.intent_id)
    return intent.client_secret if intent.status == "requires_action" else None


def place_order_for_intent(intent_id, request=None):
    """Make sure a succeeded PaymentIntent has its order, or its money back. Idempotent.

    Re-reads the intent from Stripe (never trusting a webhook body), checks amount, currency and
    metadata against our records, then places the basket's order under the attempt's row lock. A
    charge that cannot become an order (stock gone, basket already paid by another intent, mismatch)
    is refunded in full. Returns the order, or None.
    """
    row = StripePayment.objects.select_related("attempt").filter(intent_id=intent_id).first()
    if row is None:
        logger.warning("PaymentIntent %s is not one of ours; ignored", intent_id)
        return None
    intent = stripe_client.retrieve_intent(intent_id)
    problem = _mismatch(intent, row)
    if problem:
        logger.error("PaymentIntent %s does not match attempt %s: %s", intent_id, row.attempt_id, problem)
        if intent.status == "succeeded":
            refund_in_full(row, f"mismatch: {problem}")
        return None
    if intent.status != "succeeded":
        _set_status(row, intent.status)
        return None
    attempt = row.attempt
    try:
        order, created = placement.place_order(attempt, stripe_payment=row, request=request)
    except UnableToPlaceOrder as exc:  # InsufficientStock included: the transaction rolled back
        logger.warning("Attempt %s: paid by %s but no order can be placed (%s); refunding", attempt.pk, intent_id, exc)
        refund_in_full(row, "out_of_stock" if isinstance(exc, InsufficientStock) else "unable_to_place_order")
        placement.release(attempt, State.FAILED)
        thaw_basket(attempt)
        return None
    row.refresh_from_db()
    if not created and row.outcome != Outcome.PAID_ORDER:
        # The basket's order was already paid (or placed as COD/transfer): this is a second charge.
        logger.warning("Attempt %s: second succeeded intent %s; refunding", attempt.pk, intent_id)
        refund_in_full(row, "duplicate")
    return order


def reconcile_attempt(attempt, cancel_unfinished=False, request=None):
    """Settle the attempt's unfinished intents against Stripe; returns a Result when one decides it.

    Succeeded intents get their order (or a refund); failed ones are closed; with
    `cancel_unfinished`, intents still waiting (3-D Secure, confirmation) are cancelled so they can
    never charge. When nothing is left in flight and no order exists, the stock is released.
    """
    decided = None
    for row in attempt.intents.filter(outcome=Outcome.PENDING).order_by("pk"):
        intent = stripe_client.retrieve_intent(row.intent_id)
        if intent.status == "succeeded":
            order = place_order_for_intent(row.intent_id, request=request)
            row.refresh_from_db()
            if order is not None and row.outcome == Outcome.PAID_ORDER:
                decided = Result("placed", order=order)
            elif row.outcome == Outcome.REFUNDED and decided is None:
                decided = Result("refunded", message=refunded_message(row.amount))
        elif intent.status == "requires_payment_method":
            _set_status(row, intent.status, Outcome.FAILED)
        elif intent.status == "canceled":
            _set_status(row, intent.status, Outcome.CANCELLED)
        elif cancel_unfinished and intent.status in ("requires_action", "requires_confirmation"):
            _cancel(row, request)
            row.refresh_from_db()
            if row.outcome == Outcome.PAID_ORDER:
                decided = Result("placed", order=row.attempt.order)
        else:
            _set_status(row, intent.status)
    attempt.refresh_from_db()
    if attempt.order_id:
        return decided or Result("placed", order=attempt.order)
    # A request that has just claimed the attempt (PROCESSING, not stale) may not have created its
    # intent yet: releasing it then would let a second submit claim it and charge again.
    in_flight = attempt.state == State.PROCESSING and not is_stale(attempt)
    if (
        not in_flight
        and attempt.state in (State.PROCESSING, State.REQUIRES_ACTION)
        and not attempt.intents.filter(outcome=Outcome.PENDING).exists()
    ):
        placement.release(attempt, State.CANCELLED if cancel_unfinished else State.FAILED)
    return decided


def amount_received(intent):
    """Whole đồng Stripe actually took (localstripe has no `amount_received`; its amount is all or nothing)."""
    received = intent.to_dict().get("amount_received")
    return int(received) if received is not None else (intent.amount if intent.status == "succeeded" else 0)


def refund_in_full(row, reason):
    """Refund whatever is left of a succeeded intent that pays for no order (once, under a row lock).

    The amount comes from Stripe's record of the intent, not from ours (ours may be what was wrong).
    """
    with transaction.atomic():
        row = StripePayment.objects.select_for_update().get(pk=row.pk)
        paid = amount_received(stripe_client.retrieve_intent(row.intent_id))
        already = max(row.amount_refunded, stripe_client.refunded_amount(row.intent_id))
        remaining = paid - already
        if remaining > 0:
            stripe_client.refund(
                row.intent_id,
                remaining,
                idempotency_key=f"auto-refund-{row.intent_id}",
                metadata={"reason": reason, "order_number": row.attempt.order_number},
            )
            logger.warning("Refunded %s VND of %s (%s)", remaining, row.intent_id, reason)
        row.amount_refunded = max(paid, already)
        row.status = "succeeded"
        row.outcome = Outcome.REFUNDED
        row.refund_reason = reason[:255]
        row.save(update_fields=["amount_refunded", "status", "outcome", "refund_reason", "updated"])
    return row


# Helpers
# ------------------------------------------------------------------------------


def _after_confirm(attempt, row, intent, request):
    _set_status(row, intent.status)
    if intent.status == "succeeded":
        order = place_order_for_intent(row.intent_id, request=request)
        row.refresh_from_db()
        if order is not None and row.outcome == Outcome.PAID_ORDER:
            return Result("placed", order=order)
        if order is not None:  # another payment already made the order; this one was refunded
            return Result("placed", order=order)
        return Result("refunded", message=refunded_message(row.amount))
    if intent.status == "requires_action":
        PaymentAttempt.objects.filter(pk=attempt.pk, order__isnull=True).update(state=State.REQUIRES_ACTION)
        return Result("requires_action")
    if intent.status == "requires_payment_method":
        code = getattr(intent.last_payment_error, "code", "") or ""
        _set_status(row, intent.status, Outcome.FAILED)
        placement.release(attempt, State.FAILED)
        return Result("declined", message=decline_message(code))
    if intent.status == "canceled":
        _set_status(row, intent.status, Outcome.CANCELLED)
        placement.release(attempt, State.CANCELLED)
        return Result("declined", message=decline_message(""))
    return Result("in_progress")


def _mismatch(intent, row):
    attempt = row.attempt
    metadata = intent.metadata.to_dict() if intent.metadata else {}
    if intent.currency != stripe_client.CURRENCY:
        return f"currency {intent.currency}"
    if intent.amount != row.amount or row.amount != attempt.amount:
        return f"amount {intent.amount} (expected {attempt.amount})"
    if metadata.get("attempt_id") != str(attempt.pk) or metadata.get("basket_id") != str(attempt.basket_id):
        return f"metadata {metadata}"
    return ""


def _set_status(row, status, outcome=None):
    fields = {"status": status}
    if outcome is not None:
        fields["outcome"] = outcome
    StripePayment.objects.filter(pk=row.pk).exclude(outcome__in=[Outcome.PAID_ORDER, Outcome.REFUNDED]).update(
        updated=timezone.now(), **fields
    )


def _cancel(row, request):
    try:
        intent = stripe_client.cancel_intent(row.intent_id)
        _set_status(row, intent.status, Outcome.CANCELLED)
    except stripe_client.StripeError:
        # It moved on meanwhile (most likely succeeded): go by what Stripe says now.
        intent = stripe_client.retrieve_intent(row.intent_id)
        if intent.status == "succeeded":
            place_order_for_intent(row.intent_id, request=request)
        elif intent.status == "canceled":
            _set_status(row, intent.status, Outcome.CANCELLED)
        else:
            _set_status(row, intent.status)


def is_stale(attempt):
    since = attempt.processing_since
    return since is None or (timezone.now() - since).total_seconds() > STALE_PROCESSING_SECONDS


def wait_for_other(attempt):
    """A second submit while the first is paying: wait for its result instead of charging again."""
    deadline = time.monotonic() + WAIT_FOR_OTHER_SECONDS
    while time.monotonic() < deadline:
        attempt.refresh_from_db()
        if attempt.order_id:
            return Result("placed", order=attempt.order)
        if attempt.state == State.REQUIRES_ACTION:
            return Result("requires_action")
        if attempt.state in (State.FAILED, State.CANCELLED):
            return Result("declined", message=_("Lần thanh toán trước không thành công. Vui lòng thử lại."))
        time.sleep(0.2)
    return Result("in_progress")


def thaw_basket(attempt):
    basket = attempt.basket
    if basket.status == basket.FROZEN:
        basket.thaw()


def is_timed_out(attempt):
    """True when an unplaced attempt has waited longer than CARD_PAYMENT_TIMEOUT_MINUTES."""
    age = (timezone.now() - attempt.updated).total_seconds()
    return age > settings.CARD_PAYMENT_TIMEOUT_MINUTES * 60
