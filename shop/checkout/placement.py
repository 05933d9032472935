"""Placing an order: the one function every payment method and every entry point goes through.

The checkout records a `PaymentAttempt` for the basket with a snapshot of what the shopper confirmed
(address, delivery, total) and reserves the stock. `place_order()` then turns it into an Oscar order
under a row lock on the attempt, so the browser's return, the Stripe webhook, the 3-D Secure return
and `reconcile_payments` can all call it and still make exactly one order.
"""

import logging
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import translation
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model
from oscar.core.prices import Price

from shop.order import statuses
from shop.partner import stock
from shop.payment.models import PaymentMethod

OrderCreator = get_class("order.utils", "OrderCreator")
Repository = get_class("shipping.repository", "Repository")
FixedPrice = get_class("shipping.methods", "FixedPrice")
Selector = get_class("partner.strategy", "Selector")
Applicator = get_class("offer.applicator", "Applicator")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
UserAddress = get_model("address", "UserAddress")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentAttempt = get_model("payment", "PaymentAttempt")
StripePayment = get_model("payment", "StripePayment")

logger = logging.getLogger("shop.checkout")

# Oscar payment source types, by code (the dashboard shows the name).
SOURCE_TYPES = {
    PaymentMethod.CARD: ("stripe", "Thẻ (Stripe)"),
    PaymentMethod.COD: ("cod", "Thu tiền khi giao hàng (COD)"),
    PaymentMethod.BANK_TRANSFER: ("bank-transfer", "Chuyển khoản (VietQR)"),
    PaymentMethod.FREE: ("free", "Không cần thanh toán (0 ₫)"),
}
PAID_EVENT = "Đã thanh toán"


def whole_dong(amount) -> int:
    """An Oscar money Decimal as an int of đồng; refuses fractions instead of rounding them away."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of đồng")
    return int(value)


# Snapshot of the checkout
# ------------------------------------------------------------------------------


def _address_fields(address):
    if address is None:
        return None
    data = {}
    for field in address._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        value = getattr(address, field.attname)
        data[field.attname] = None if value is None else (value if isinstance(value, (bool, int)) else str(value))
    return data


def snapshot(submission, language):
    """What the shopper confirmed, as JSON, so the order can be placed without their session."""
    method = submission["shipping_method"]
    charge = submission["shipping_charge"]
    total = submission["order_total"]
    return {
        "shipping_address": _address_fields(submission["shipping_address"]),
        "billing_address": _address_fields(submission["billing_address"]),
        "shipping_method": {
            "code": method.code,
            "name": str(method.name),
            "charge_excl_tax": str(charge.excl_tax),
            "charge_incl_tax": str(charge.incl_tax),
        },
        "order_total": {"currency": total.currency, "excl_tax": str(total.excl_tax), "incl_tax": str(total.incl_tax)},
        "guest_email": submission["order_kwargs"].get("guest_email") or "",
        "language": language,
    }


def _shipping(snap, basket, shipping_address, user, request):
    """The delivery method the shopper chose; its price is the one they confirmed and paid."""
    chosen = snap["shipping_method"]
    confirmed = Decimal(chosen["charge_incl_tax"])
    try:
        methods = Repository().get_shipping_methods(
            basket=basket, user=user, shipping_addr=shipping_address, request=request
        )
    except Exception:  # a pricing bug must not lose an order that is already paid
        logger.exception("Shipping methods could not be listed; using the confirmed charge")
        methods = []
    for method in methods:
        if method.code == chosen["code"]:
            charge = method.calculate(basket)
            if charge.incl_tax == confirmed:
                return method, charge
    method = FixedPrice(Decimal(chosen["charge_excl_tax"]), confirmed)
    method.code, method.name = chosen["code"], chosen["name"]
    return method, method.calculate(basket)


def _save_address(model, fields, user):
    if not fields:
        return None
    address = model(**fields)
    address.save()
    if user is not None and user.is_authenticated:
        # As Oscar's checkout does: the address book learns addresses used for orders.
        user_address = user.addresses.filter(hash=address.generate_hash()).first()
        if user_address is None:
            user_address = UserAddress(user=user)
            address.populate_alternative_model(user_address)
        if model is ShippingAddress:
            user_address.num_orders_as_shipping_address += 1
        else:
            user_address.num_orders_as_billing_address += 1
        user_address.save()
    return address


# Order creation
# ------------------------------------------------------------------------------


class ReservedStockOrderCreator(OrderCreator):
    """Oscar's order creator, except that stock already reserved for this basket is not allocated twice.

    Any line not covered by the reservation goes through the guarded `StockRecord.allocate`, which
    raises `InsufficientStock` (and so rolls the order back) rather than overselling.
    """

    def __init__(self, reserved):
        self.reserved = {int(record_id): qty for record_id, qty in (reserved or {}).items()}

    def update_stock_records(self, line):
        held = self.reserved.get(line.stockrecord_id, 0)
        if held >= line.quantity:
            self.reserved[line.stockrecord_id] = held - line.quantity
            return
        if held:
            raise UnableToPlaceOrder(f"Basket line #{line.pk}: reservation covers {held} of {line.quantity}")
        super().update_stock_records(line)


def _source_type(method):
    code, name = SOURCE_TYPES[method]
    source_type, _ = SourceType.objects.get_or_create(code=code, defaults={"name": name})
    return source_type


def record_paid_event(order, amount, reference):
    """An Oscar payment event covering every line (what the dashboard shows as 'paid')."""
    event_type, _ = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
    event = PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount, reference=reference)
    for line in order.lines.all():
        PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
    return event


def _record_payment(order, attempt, stripe_payment):
    total = order.total_incl_tax
    source = Source(
        order=order,
        source_type=_source_type(attempt.method),
        currency=order.currency,
        amount_allocated=total,
        reference=stripe_payment.intent_id if stripe_payment else attempt.order_number,
    )
    source.save()
    if stripe_payment is not None:
        source.debit(total, reference=stripe_payment.intent_id, status="succeeded")
        record_paid_event(order, total, stripe_payment.intent_id)
        stripe_payment.outcome = StripePayment.Outcome.PAID_ORDER
        stripe_payment.status = "succeeded"
        stripe_payment.save(update_fields=["outcome", "status", "updated"])


def initial_status(method):
    """Card, COD and 0 ₫ orders are ready to confirm; a transfer waits for the money."""
    return statuses.AWAITING_PAYMENT if method == PaymentMethod.BANK_TRANSFER else statuses.PLACED


def place_order(attempt, *, stripe_payment=None, request=None):
    """Place the order for `attempt` once; return (order, created).

    Locks the attempt row, returns its order if one exists, otherwise creates the Oscar order from the
    snapshot, hands the reserved stock to it (reserving again if the reservation was released, which
    raises `InsufficientStock`), records the payment and submits the basket. The confirmation email
    is sent after the commit. Raises `UnableToPlaceOrder` (nothing is written) when it cannot.
    """
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.order_id:
            return attempt.order, False
        basket = attempt.basket
        user = attempt.user
        if not attempt.reserved_stock:
            attempt.reserved_stock = stock.reserve(stock.basket_quantities(basket))
        snap = attempt.checkout
        with translation.override(attempt.language):
            basket.strategy = Selector().strategy(request=request, user=user)
            Applicator().apply(basket, user, request)
            shipping_address = _save_address(ShippingAddress, snap["shipping_address"], user)
            billing_address = _save_address(BillingAddress, snap["billing_address"], user)
            method, charge = _shipping(snap, basket, shipping_address, user, request)
            total = snap["order_total"]
            order_total = Price(total["currency"], Decimal(total["excl_tax"]), incl_tax=Decimal(total["incl_tax"]))
            if whole_dong(order_total.incl_tax) != attempt.amount:
                raise UnableToPlaceOrder(f"Attempt {attempt.pk}: snapshot total differs from the amount")
            extra = {} if user else {"guest_email": snap.get("guest_email", "")}
            order = ReservedStockOrderCreator(attempt.reserved_stock).place_order(
                basket=basket,
                total=order_total,
                shipping_method=method,
                shipping_charge=charge,
                # Oscar's voucher bookkeeping expects a guest to be an AnonymousUser, not None.
                user=user or AnonymousUser(),
                shipping_address=shipping_address,
                billing_address=billing_address,
                order_number=attempt.order_number,
                status=initial_status(attempt.method),
                request=request,
                **extra,
            )
        _record_payment(order, attempt, stripe_payment)
        attempt.order = order
        attempt.state = PaymentAttempt.State.PLACED
        attempt.reserved_stock = {}
        attempt.save(update_fields=["order", "state", "reserved_stock", "updated"])
        basket.submit()
        logger.info("Order #%s placed (%s)", order.number, attempt.method)
        transaction.on_commit(lambda: send_confirmation(order))
    return order, True


def send_confirmation(order):
    """Queue the confirmation email, once per order, in the order's language (shop.order owns its content)."""
    from shop.order.emails import send_order_confirmation

    try:
        send_order_confirmation(order)
    except Exception:
        # The order stands either way; a queue failure is logged for staff, not shown to the shopper.
        logger.exception("Order #%s: confirmation email not queued", order.number)


def release(attempt, state):
    """Give back the stock an unplaced attempt holds and set its state (a no-op once it has an order)."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.order_id:
            return attempt
        if attempt.reserved_stock:
            stock.release(attempt.reserved_stock)
            attempt.reserved_stock = {}
        attempt.state = state
        attempt.processing_since = None
        attempt.save(update_fields=["reserved_stock", "state", "processing_since", "updated"])
    return attempt


def reserve(attempt):
    """Reserve the basket's stock for `attempt` unless it already holds it; raises `InsufficientStock`."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not attempt.reserved_stock and not attempt.order_id:
            attempt.reserved_stock = stock.reserve(stock.basket_quantities(attempt.basket))
            attempt.save(update_fields=["reserved_stock", "updated"])
    return attempt
