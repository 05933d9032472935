"""A cooperative's share of an order: what its staff see of an order that may hold the other's lines.

One module decides it for the order list and its CSV, the statistics, the order page and the
staff home (shop/dashboard/panels.py):

- lines: its own (`catalog.scoping.scope`);
- money: its goods subtotal, the sum of its lines at their price before discounts
  (`LINE_REVENUE`). Shipping charges and discounts belong to the whole order: they are the
  platform's and are not shown to a cooperative;
- shipments: the shipping events that touch its lines, with only its lines' quantities;
- payment: how the order is paid and whether it is, never an amount beyond its own goods (except
  the cash to collect on a cash-on-delivery order that is entirely its own);
- notes: those its own members wrote, and the platform admin's hand-written ones (system notes of
  the platform admin name other lines, so they stay the platform's).

A platform admin has no share: `order_share` returns None and Oscar's whole-order view applies.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.models import CooperativeMembership
from catalog.scoping import cooperative_for, scope
from shop.order import statuses
from shop.payment.models import PaymentMethod

Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")

# The one figure of a line's sales for a cooperative: its goods at their price, before the platform's discounts.
LINE_REVENUE = "line_price_before_discounts_incl_tax"
# Lines that count as sales: not cancelled, in an order that is not cancelled or waiting for its transfer.
NOT_SALES = Q(status=statuses.CANCELLED) | Q(order__status__in=(statuses.CANCELLED, statuses.AWAITING_PAYMENT))


def sales_lines(lines):
    """`lines` narrowed to those that count as sales (see NOT_SALES)."""
    return lines.exclude(NOT_SALES)


def annotate_share(orders, cooperative):
    """Orders with `share_total` (goods subtotal) and `share_items` (units) of `cooperative`'s lines.

    Subqueries, so Oscar's later filters on lines (title, UPC, SKU) cannot multiply the sums.
    """
    own = Line.objects.filter(order=OuterRef("pk"), partner_id=cooperative.partner_id).order_by().values("order")
    money = DecimalField(max_digits=12, decimal_places=2)
    return orders.annotate(
        share_total=Coalesce(
            Subquery(own.annotate(total=Sum(LINE_REVENUE)).values("total"), output_field=money),
            Value(Decimal(0)),
            output_field=money,
        ),
        share_items=Coalesce(
            Subquery(own.annotate(items=Sum("quantity")).values("items"), output_field=IntegerField()),
            Value(0),
        ),
    )


@dataclass
class PaymentState:
    """How an order is paid and whether it is, without figures."""

    method: str
    label: str
    is_paid: bool
    refunded: str = ""
    # The cash the carrier collects, only for a cash-on-delivery order whose every line is the cooperative's.
    cash_to_collect: Decimal | None = None


@dataclass
class OrderShare:
    cooperative: object
    order: object
    lines: list
    goods_subtotal: Decimal
    items: int
    is_whole_order: bool
    shipping_events: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    payment: PaymentState | None = None


def order_share(order, user) -> OrderShare | None:
    """What `user`'s cooperative sees of `order`, or None for a platform admin (who sees it all)."""
    cooperative = cooperative_for(user)
    if cooperative is None:
        return None
    lines = list(scope(order.lines.all(), user).select_related("product"))
    for line in lines:
        line.status_label = statuses.label(line.status)
    all_lines = order.lines.count()
    share = OrderShare(
        cooperative=cooperative,
        order=order,
        lines=lines,
        goods_subtotal=sum((getattr(line, LINE_REVENUE) for line in lines), Decimal(0)),
        items=sum(line.quantity for line in lines),
        is_whole_order=bool(lines) and len(lines) == all_lines,
    )
    share.shipping_events = shipping_events(order, cooperative)
    share.notes = visible_notes(order, cooperative)
    share.payment = payment_state(order, share.is_whole_order)
    return share


def shipping_events(order, cooperative):
    """The order's shipping events that touch `cooperative`'s lines; each with `own_line_quantities` only."""
    own = ShippingEventQuantity.objects.filter(line__partner_id=cooperative.partner_id).select_related("line")
    events = list(
        order.shipping_events.filter(line_quantities__line__partner_id=cooperative.partner_id)
        .distinct()
        .select_related("event_type")
        .prefetch_related(Prefetch("line_quantities", queryset=own, to_attr="own_line_quantities"))
    )
    for event in events:
        event.label = statuses.event_label(event.event_type)
    return events


def visible_notes(order, cooperative):
    """Notes by the cooperative's members, and hand-written notes of the platform (or of no one)."""
    members = CooperativeMembership.objects.filter(cooperative=cooperative).values("user_id")
    platform = ~Q(note_type=OrderNote.SYSTEM) & (Q(user__isnull=True) | Q(user__is_superuser=True))
    return list(order.notes.filter(Q(user_id__in=members) | platform).select_related("user"))


def payment_state(order, is_whole_order=False) -> PaymentState:
    """How `order` is paid and whether it is; no amount, except the COD cash of an order wholly the cooperative's."""
    attempt = getattr(order, "payment_attempt", None)
    method = getattr(attempt, "method", "") or ""
    method_label = str(PaymentMethod(method).label) if method in PaymentMethod.values else _("Không rõ")
    sources = list(order.sources.all())
    allocated = sum((source.amount_allocated for source in sources), Decimal(0))
    debited = sum((source.amount_debited for source in sources), Decimal(0))
    refunded_amount = sum((source.amount_refunded for source in sources), Decimal(0))
    is_paid = allocated > 0 and debited >= allocated
    if is_paid:
        label = _("Đã thanh toán")
    elif order.status == statuses.AWAITING_PAYMENT:
        label = _("Chờ khách chuyển khoản")
    elif method == PaymentMethod.COD:
        label = _("Thu tiền khi giao hàng, chưa thu")
    elif debited > 0:
        label = _("Đã thanh toán một phần")
    else:
        label = _("Chưa thanh toán")
    refunded = ""
    if refunded_amount > 0:
        refunded = _("Đã hoàn tiền toàn bộ") if refunded_amount >= debited else _("Đã hoàn tiền một phần")
    cash = order.total_incl_tax if method == PaymentMethod.COD and not is_paid and is_whole_order else None
    return PaymentState(method_label, label, is_paid, refunded, cash)
