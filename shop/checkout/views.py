"""Checkout: choose how to pay, review, place the order (card, COD, bank transfer), 3-D Secure, thank you.

Oscar's flow with one change of order: the stock is reserved and the order placed by
`shop.checkout.placement` before (COD, transfer) or right after (card) the money moves, and every
repeat of a submit finds the basket's `PaymentAttempt` instead of starting again.

An order of 0 ₫ (a voucher pays for everything) skips the payment-method step, as in Oscar, and is
placed with the FREE method: no PaymentIntent, nothing to collect. Cards are offered only from
STRIPE_MINIMUM_CHARGE_VND, the smallest charge Stripe takes.
"""

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout import exceptions as checkout_exceptions
from oscar.apps.checkout import views
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from shop.checkout import placement
from shop.payment import card, offline, stripe_client, vietqr
from shop.payment.forms import PaymentMethodForm, available_methods, card_too_small_message, method_help
from shop.payment.models import PaymentAttempt, PaymentMethod

OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
Basket = get_model("basket", "Basket")
logger = logging.getLogger("shop.checkout")

# What Stripe.js hands us: a PaymentMethod (pm_), or a card from a token (localstripe's card_).
PAID_BASKET_KEY = "shop_checkout_placed_basket"
PAYMENT_METHOD_ID = re.compile(r"^(pm|card|src)_[A-Za-z0-9]{6,64}$")


def stripe_context():
    """Template context for the card form and the test-mode banner."""
    return {
        "stripe_js_url": stripe_client.js_url(),
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_test_mode": stripe_client.is_test_mode(),
        "stripe_test_cards": stripe_client.TEST_CARDS,
    }


def amount_of(submission):
    """Whole đồng the order of `submission` costs (basket, delivery, vouchers), or None without delivery."""
    total = submission["order_total"]
    return None if total is None else placement.whole_dong(total.incl_tax)


class IndexView(views.IndexView):
    """The gateway (guest, new account or sign in), whose sign-in now goes through the login limits."""

    def get_form_kwargs(self):
        # Oscar builds its AuthenticationForm without the request; django-axes needs it to count
        # failures (and refuses to authenticate without it).
        return {**super().get_form_kwargs(), "request": self.request}


class PaymentResultMixin(OrderPlacementMixin):
    """Turns a payment `card.Result` into the next page, for the submit and the 3-D Secure return."""

    def submitted_attempt(self):
        # Oscar's checkout session forgets the basket once the order is placed; ours remembers it
        # so that a late repeat of the submit still lands on the same order.
        basket_id = self.checkout_session.get_submitted_basket_id() or self.request.session.get(PAID_BASKET_KEY)
        if not basket_id:
            return None
        return PaymentAttempt.objects.select_related("basket", "order").filter(basket_id=basket_id).first()

    def respond(self, result):
        if result.kind == "placed":
            return self.order_placed(result.order)
        if result.kind == "requires_action":
            return redirect("checkout:card-authenticate")
        if result.kind == "in_progress":
            return redirect("checkout:card-return")
        self.restore_frozen_basket()
        messages.error(self.request, result.message or card.decline_message(""))
        if result.kind in ("out_of_stock", "refunded"):
            return redirect("basket:summary")
        return redirect("checkout:preview")

    def restore_frozen_basket(self):
        """Oscar's, except that an empty basket the middleware has not saved yet is not merged.

        After a redirect (3-D Secure) the request's basket is a fresh unsaved one, because the
        frozen basket is not "open"; Oscar's merge would fail on it. The basket cookie follows
        `request.basket` in the middleware's response.
        """
        try:
            frozen = self.get_submitted_basket()
        except Basket.DoesNotExist:
            return
        frozen.thaw()
        current = self.request.basket
        if current.id != frozen.id:
            if current.id:
                frozen.merge(current)
            frozen.strategy = current.strategy
            self.request.basket = frozen

    def order_placed(self, order):
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.id
        self.request.session[PAID_BASKET_KEY] = order.basket_id
        return redirect("checkout:thank-you")


class PaymentMethodView(views.PaymentMethodView):
    """Card, cash on delivery or bank transfer: the shopper chooses, then reviews the order."""

    template_name = "oscar/checkout/payment_method.html"
    # Oscar's skip condition `skip_unless_payment_is_required` (inherited) sends an order of 0 ₫
    # straight to the preview.

    def get(self, request, *args, **kwargs):
        amount = amount_of(self.build_submission())
        form = PaymentMethodForm(initial={"method": self.checkout_session.payment_method()}, amount=amount)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = PaymentMethodForm(request.POST, amount=amount_of(self.build_submission()))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return redirect("checkout:preview")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        amount = amount_of(ctx)
        methods = available_methods(amount)
        ctx["method_help"] = {method.value: method_help(method) for method in methods}
        ctx.update(stripe_context())
        ctx["card_available"] = PaymentMethod.CARD in methods
        ctx["card_too_small"] = card_too_small_message(amount)
        return ctx


class PaymentDetailsView(PaymentResultMixin, views.PaymentDetailsView):
    """The preview page places the order; the payment-details step is the payment-method page."""

    def dispatch(self, request, *args, **kwargs):
        if self.preview and request.method == "POST" and request.POST.get("action") == "place_order":
            self.checkout_session = CheckoutSessionData(request)
            attempt = self.submitted_attempt()
            if attempt is not None and attempt.basket.status != Basket.OPEN:
                # A repeat of a submit that is under way or done (double click, refresh, back button).
                response = self.resume(attempt)
                if response is not None:
                    return response
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def check_payment_data_is_captured(self, request):
        amount = amount_of(self.build_submission())
        method = self.checkout_session.payment_method()
        if amount == 0:
            # Nothing to pay: whatever was chosen before the voucher, no card is charged.
            if method != PaymentMethod.FREE:
                self.checkout_session.pay_by(PaymentMethod.FREE)
            return
        if method not in available_methods(amount):
            message = (method == PaymentMethod.CARD and card_too_small_message(amount)) or _(
                "Vui lòng chọn cách thanh toán."
            )
            raise checkout_exceptions.FailedPreCondition(url=reverse("checkout:payment-method"), message=message)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        if method in PaymentMethod.values:
            ctx["payment_method"] = method
            ctx["payment_method_label"] = PaymentMethod(method).label
            ctx["payment_method_help"] = method_help(method)
        if ctx.get("order_total") is not None:
            ctx["expected_total"] = placement.whole_dong(ctx["order_total"].incl_tax)
        if method == PaymentMethod.CARD:
            ctx.update(stripe_context())
        return ctx

    def resume(self, attempt):
        attempt.refresh_from_db()
        if attempt.order_id:
            return self.order_placed(attempt.order)
        if attempt.state == PaymentAttempt.State.PROCESSING:
            return self.respond(card.wait_for_other(attempt))
        if attempt.state == PaymentAttempt.State.REQUIRES_ACTION:
            return redirect("checkout:card-authenticate")
        # Failed or released while the basket stayed frozen: give the basket back and start over.
        self.restore_frozen_basket()
        return None

    def handle_place_order_submission(self, request):
        submission = self.build_submission()
        amount = placement.whole_dong(submission["order_total"].incl_tax)
        # The amount charged is always computed here; the form only says what the shopper saw.
        if request.POST.get("expected_total") != str(amount):
            messages.error(
                request,
                _("Tổng tiền đơn hàng đã thay đổi, nay là %(total)s. Vui lòng xem lại rồi bấm đặt hàng.")
                % {"total": currency(amount, submission["order_total"].currency)},
            )
            return redirect("checkout:preview")
        method = self.checkout_session.payment_method()
        payment_method = request.POST.get("payment_method_id", "")
        if method == PaymentMethod.CARD and not PAYMENT_METHOD_ID.match(payment_method):
            messages.error(request, _("Chưa nhận được thông tin thẻ. Vui lòng nhập lại thông tin thẻ."))
            return redirect("checkout:preview")

        basket = submission["basket"]
        attempt = self.prepare_attempt(submission, method, amount)
        self.freeze_basket(basket)
        self.checkout_session.set_submitted_basket(basket)
        self.checkout_session.set_order_number(attempt.order_number)
        # Saved now, not at the end of the response: a second click must find this submit.
        request.session.save()
        if method == PaymentMethod.CARD:
            result = card.pay_by_card(attempt, payment_method, request=request)
        else:
            result = offline.place_offline(attempt, request=request)
        return self.respond(result)

    def prepare_attempt(self, submission, method, amount):
        """The basket's payment row, refreshed with this submission unless a payment is in flight."""
        basket = submission["basket"]
        user = self.request.user if self.request.user.is_authenticated else None
        data = {
            "order_number": self.generate_order_number(basket),
            "method": method,
            "amount": amount,
            "currency": submission["order_total"].currency,
            "checkout": placement.snapshot(submission, get_language()),
            "user": user,
            "language": get_language(),
        }
        with transaction.atomic():
            attempt, created = PaymentAttempt.objects.select_for_update().get_or_create(basket=basket, defaults=data)
            idle = (PaymentAttempt.State.NEW, PaymentAttempt.State.FAILED, PaymentAttempt.State.CANCELLED)
            if not created and not attempt.order_id and attempt.state in idle:
                for field, value in data.items():
                    setattr(attempt, field, value)
                attempt.save()
        return attempt


class CardAuthenticationView(PaymentResultMixin, generic.TemplateView):
    """3-D Secure: Stripe.js asks the card's bank, then the browser returns to `card-return`."""

    template_name = "oscar/checkout/card_authentication.html"
    pre_conditions = []

    def get(self, request, *args, **kwargs):
        attempt = self.submitted_attempt()
        if attempt is None:
            return redirect("basket:summary")
        if attempt.order_id:
            return self.order_placed(attempt.order)
        secret = card.client_secret(attempt)
        if secret is None:
            return redirect("checkout:card-return")
        ctx = self.get_context_data(client_secret=secret, attempt=attempt, **stripe_context())
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        # Not the checkout's full context: this page must not rebuild the (frozen) basket's submission.
        return kwargs


class CardReturnView(PaymentResultMixin, generic.TemplateView):
    """Back from 3-D Secure (or waiting for a slow bank): Stripe's record of the intent decides."""

    template_name = "oscar/checkout/card_processing.html"
    pre_conditions = []

    def get(self, request, *args, **kwargs):
        attempt = self.submitted_attempt()
        if attempt is None:
            messages.info(request, _("Không có thanh toán nào đang chờ."))
            return redirect("basket:summary")
        result = card.handle_return(attempt, request=request)
        if result.kind == "in_progress":
            return self.render_to_response({"attempt": attempt})
        return self.respond(result)


class ThankYouView(views.ThankYouView):
    """Oscar's thank-you page, with what to do next for the chosen payment method."""

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        order = ctx["order"]
        attempt = PaymentAttempt.objects.filter(order=order).first()
        ctx["payment_method"] = attempt.method if attempt else ""
        if attempt and attempt.method == PaymentMethod.BANK_TRANSFER:
            ctx["transfer"] = transfer_details(order)
        return ctx


def transfer_details(order):
    """Everything the shopper needs to pay a transfer order, QR code included."""
    reference = vietqr.transfer_reference(order.number)
    payload = vietqr.build_payload(order.total_incl_tax, reference)
    return {
        "amount": order.total_incl_tax,
        "reference": reference,
        "payload": payload,
        "qr_svg": vietqr.qr_svg(
            payload, title=_("Mã VietQR chuyển khoản cho đơn %(number)s") % {"number": order.number}
        ),
        "qr_png_url": reverse(
            "payment:vietqr-png", kwargs={"number": order.number, "signature": order.verification_hash()}
        ),
        "bank": vietqr.bank_account(),
        "expiry_hours": settings.BANK_TRANSFER_EXPIRY_HOURS,
    }
