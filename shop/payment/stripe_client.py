"""The one Stripe wrapper: every call this shop makes to Stripe (or to localstripe) goes through here.

No global `stripe.api_key`: each call builds a `StripeClient` from the settings of the moment, so
tests and `rundemo` can point it at a local localstripe by changing settings alone.
Amounts are VND, a zero-decimal currency for Stripe: `amount=250000` is 250.000 ₫.
"""

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

CURRENCY = "vnd"
# Test cards that work with real Stripe in test mode and with localstripe (shown in the test banner).
TEST_CARDS = (
    ("4242 4242 4242 4242", _("thanh toán thành công")),
    ("4000 0027 6000 3184", _("cần xác thực 3-D Secure")),
    ("4000 0000 0000 0341", _("bị ngân hàng từ chối")),
)

# The webhook events the shop handles: register exactly these on the Stripe webhook endpoint.
PAYMENT_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled")
REFUND_EVENTS = ("charge.refunded", "charge.refund.updated")
WEBHOOK_EVENTS = PAYMENT_EVENTS + REFUND_EVENTS

CardError = stripe.CardError
StripeError = stripe.StripeError
SignatureVerificationError = stripe.SignatureVerificationError


def is_configured():
    """True when card payments can be offered: a secret and a publishable key are set."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def is_test_mode():
    """True for test keys and for localstripe: the checkout then shows the test-mode banner."""
    return bool(settings.STRIPE_API_BASE) or settings.STRIPE_SECRET_KEY.startswith(("sk_test_", "rk_test_"))


def js_url():
    """Stripe.js: the real one, or localstripe's fake at <base>/js.stripe.com/v3/ (trailing slash needed)."""
    if settings.STRIPE_API_BASE:
        return settings.STRIPE_API_BASE.rstrip("/") + "/js.stripe.com/v3/"
    return "https://js.stripe.com/v3/"


def client():
    kwargs = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE.rstrip("/")}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **kwargs)


def create_intent(amount, payment_method, metadata, idempotency_key):
    """Create an unconfirmed card PaymentIntent for `amount` whole đồng (nothing is charged yet)."""
    if not isinstance(amount, int) or amount <= 0:
        raise ValueError("amount must be a positive whole number of đồng")
    return client().v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": CURRENCY,
            "payment_method": payment_method,
            # Card only: real Stripe then needs no return_url for a server-side confirmation.
            "payment_method_types": ["card"],
            "metadata": {key: str(value) for key, value in metadata.items()},
        },
        options={"idempotency_key": idempotency_key},
    )


def confirm_intent(intent_id, idempotency_key):
    """Confirm (charge) an intent; raises `CardError` when the card is declined."""
    return client().v1.payment_intents.confirm(intent_id, options={"idempotency_key": idempotency_key})


def retrieve_intent(intent_id):
    return client().v1.payment_intents.retrieve(intent_id)


def cancel_intent(intent_id):
    return client().v1.payment_intents.cancel(intent_id)


# Refund statuses that take money back from the charge (Stripe's `amount_refunded` counts both).
REFUND_COUNTED = ("succeeded", "pending")
# A refund that failed or was cancelled after it was made: the money stays with the shop.
REFUND_UNDONE = ("failed", "canceled")


def list_refunds(intent_id):
    """Every refund of an intent as Stripe has it (made by this shop or in Stripe's dashboard)."""
    return list(client().v1.refunds.list(params={"payment_intent": intent_id, "limit": 100}).auto_paging_iter())


def refunded_amount(intent_id):
    """Whole đồng already refunded on an intent, as Stripe records it."""
    return sum(refund.amount for refund in list_refunds(intent_id) if refund.status in REFUND_COUNTED)


def retrieve_charge(charge_id):
    return client().v1.charges.retrieve(charge_id)


def refund(intent_id, amount, idempotency_key, metadata=None):
    """Refund `amount` whole đồng of an intent. Callers enforce the limit: localstripe over-refunds."""
    if not isinstance(amount, int) or amount <= 0:
        raise ValueError("amount must be a positive whole number of đồng")
    params = {"payment_intent": intent_id, "amount": amount}
    if metadata:
        params["metadata"] = {key: str(value) for key, value in metadata.items()}
    return client().v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})


def construct_event(payload, signature):
    """Verify a webhook's Stripe-Signature (secret and timestamp tolerance) and parse the event.

    Raises `ValueError` for a payload that is not JSON and `SignatureVerificationError` for a
    missing, forged or expired signature.
    """
    return stripe.Webhook.construct_event(
        payload,
        signature or "",
        settings.STRIPE_WEBHOOK_SECRET,
        tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
    )
