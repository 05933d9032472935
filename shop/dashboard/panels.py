"""The staff home (Wagtail admin dashboard at /admin/), per cooperative: the commerce panels.

Orders to fulfil, low-stock products and this month's sales, on the base of catalog/panels.py
(which cooperatives are in view, one section each). Rows come from `catalog.scoping.scope`; each
panel runs a fixed number of queries per cooperative in view, whatever the number of orders.
"""

from datetime import datetime, time

from django.conf import settings
from django.db.models import Count, F, IntegerField, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.panels import CooperativePanel
from catalog.scoping import scope
from shop.dashboard.orders import shares
from shop.order import statuses

Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

# Lines a cooperative still has to send: not handed to the carrier, not cancelled, in an order
# that is neither cancelled nor waiting for its bank transfer (those must not ship yet).
TO_FULFIL = Q(status__in=(statuses.PLACED, statuses.PROCESSING)) & ~Q(
    order__status__in=(statuses.CANCELLED, statuses.AWAITING_PAYMENT)
)
ROWS = 10


class OrdersToFulfilPanel(CooperativePanel):
    """Orders with lines of the cooperative not yet shipped, oldest first (3 queries per cooperative)."""

    name = "orders-to-fulfil"
    heading = _("Đơn hàng cần giao")
    template_name = "shop/staff_home/orders_to_fulfil.html"
    order = 10

    def sections(self):
        pending = scope(Line.objects.filter(TO_FULFIL), self.user)
        today = timezone.localdate()
        result = []
        for cooperative in self.cooperatives:
            own = pending.filter(partner_id=cooperative.partner_id)
            count = own.values("order_id").distinct().count()
            orders = list(
                own.values("order_id", "order__number", "order__status")
                .annotate(placed=Min("order__date_placed"), items=Sum("quantity"))
                .order_by("placed", "order_id")[:ROWS]
            )
            titles = {}
            for order_id, title, quantity, status in own.filter(
                order_id__in=[row["order_id"] for row in orders]
            ).values_list("order_id", "title", "quantity", "status"):
                titles.setdefault(order_id, []).append(
                    {"title": title, "quantity": quantity, "status": statuses.label(status)}
                )
            for row in orders:
                row["lines"] = titles.get(row["order_id"], [])
                row["status_label"] = statuses.label(row["order__status"])
                row["waiting_days"] = (today - timezone.localdate(row["placed"])).days
                row["url"] = reverse("dashboard:order-detail", kwargs={"number": row["order__number"]})
            result.append({"cooperative": cooperative, "rows": orders, "count": count, "more": count - len(orders)})
        return result


class LowStockPanel(CooperativePanel):
    """Stock records whose free units (in stock minus allocated) are below their threshold.

    The threshold is the record's own `low_stock_threshold` (Oscar's field, set in the product
    dashboard) or else settings.LOW_STOCK_THRESHOLD. Products that do not track stock are left out.
    Lowest first; 2 queries per cooperative.
    """

    name = "low-stock"
    heading = _("Sản phẩm sắp hết hàng")
    template_name = "shop/staff_home/low_stock.html"
    order = 20

    def sections(self):
        records = (
            scope(StockRecord.objects.all(), self.user)
            .filter(Q(product__product_class__track_stock=True) | Q(product__parent__product_class__track_stock=True))
            .annotate(
                free=F("num_in_stock") - Coalesce(F("num_allocated"), 0),
                threshold=Coalesce(F("low_stock_threshold"), Value(settings.LOW_STOCK_THRESHOLD)),
            )
            .filter(free__lt=F("threshold"))
            .select_related("product", "product__parent")
        )
        result = []
        for cooperative in self.cooperatives:
            own = records.filter(partner_id=cooperative.partner_id)
            rows = [
                {
                    "record": record,
                    "title": record.product.get_title(),
                    "free": max(record.free, 0),
                    "url": reverse("dashboard:catalogue-product", kwargs={"pk": record.product_id}),
                }
                for record in own.order_by("free", "pk")[:ROWS]
            ]
            count = own.count()
            result.append({"cooperative": cooperative, "rows": rows, "count": count, "more": count - len(rows)})
        return result

    def get_context_data(self, parent_context=None):
        return {**super().get_context_data(parent_context), "default_threshold": settings.LOW_STOCK_THRESHOLD}


class MonthlySalesPanel(CooperativePanel):
    """This month's sales of each cooperative: goods revenue per day (bar chart), total, orders.

    Revenue is shares.LINE_REVENUE of lines that count as sales (shares.sales_lines), by the day
    the order was placed in Vietnam's time. 2 queries for all cooperatives in view.
    """

    name = "monthly-sales"
    heading = _("Doanh số tháng này")
    template_name = "shop/staff_home/monthly_sales.html"
    order = 30

    def sections(self):
        today = timezone.localdate()
        start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
        lines = shares.sales_lines(scope(Line.objects.all(), self.user)).filter(
            partner_id__in=[c.partner_id for c in self.cooperatives], order__date_placed__gte=start
        )
        daily = {}
        for row in (
            lines.annotate(day=TruncDate("order__date_placed"))
            .values("partner_id", "day")
            .annotate(revenue=Sum(shares.LINE_REVENUE))
            .order_by()
        ):
            daily[(row["partner_id"], row["day"])] = int(row["revenue"] or 0)
        orders = dict(
            lines.values("partner_id")
            .annotate(n=Count("order_id", distinct=True, output_field=IntegerField()))
            .order_by()
            .values_list("partner_id", "n")
        )
        result = []
        for cooperative in self.cooperatives:
            points = [
                (str(day), daily.get((cooperative.partner_id, today.replace(day=day)), 0))
                for day in range(1, today.day + 1)
            ]
            result.append(
                {
                    "cooperative": cooperative,
                    "points": points,
                    "total": sum(value for _, value in points),
                    "orders": orders.get(cooperative.partner_id, 0),
                }
            )
        return result

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        return {
            **super().get_context_data(parent_context),
            "month": today,
            "orders_url": reverse("dashboard:order-list"),
        }
