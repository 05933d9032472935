"""The fair report: embed views, clicks, orders, revenue and top products of one trade fair.

What a viewer sees is decided by catalog.scoping: the platform admin sees every cooperative's
order lines (and may narrow to one cooperative); a cooperative member sees only their own
cooperative's lines, so orders, revenue and products are theirs alone. Views and clicks belong to
the fair as a whole (an embed or a poster shows every cooperative's products) and are shown to both.

Revenue is the sum of the order lines' prices with tax, after line discounts, in whole đồng;
delivery charges are not sales of a cooperative. Cancelled orders and cancelled lines do not count.
A fixed number of queries, whatever the number of days, orders or products.
"""

from datetime import timedelta

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.scoping import cooperative_for, is_platform_admin, scope
from shop.fairs.models import FairCount
from shop.order import statuses

Line = get_model("order", "Line")

# Days shown around the fair in the daily table and the chart (more when activity falls outside).
MARGIN_DAYS = 7
TOP_PRODUCTS = 10
KINDS = [kind.value for kind in FairCount.Kind]


def may_view(user) -> bool:
    """Fair reports are for the platform admin and for cooperative members (their own part)."""
    return is_platform_admin(user) or cooperative_for(user) is not None


def attributed_lines(user, cooperative=None, fair_keys=None):
    """Order lines of orders attributed to a fair, as `user` may see them (catalog.scoping)."""
    lines = (
        Line.objects.filter(order__fair_attribution__isnull=False)
        .exclude(order__status=statuses.CANCELLED)
        .exclude(status=statuses.CANCELLED)
    )
    if fair_keys is not None:
        lines = lines.filter(order__fair_attribution__fair_key__in=fair_keys)
    lines = scope(lines, user)
    if cooperative is not None:
        lines = lines.filter(partner_id=cooperative.partner_id)
    return lines


def _dong(value) -> int:
    return int(value or 0)


class FairReport:
    """Figures of one fair for one viewer; `cooperative` narrows an admin's view to one cooperative."""

    def __init__(self, fair, user, cooperative=None):
        self.fair = fair
        self.key = fair.translation_key
        self.user = user
        self.is_admin = is_platform_admin(user)
        own = cooperative_for(user)
        # A member's view is always their own cooperative, whatever they ask for.
        self.cooperative = cooperative if self.is_admin else own
        self.lines = attributed_lines(user, cooperative if self.is_admin else None, [self.key])
        self._counts = self._load_counts()
        self._sales = self._load_sales()

    def _load_counts(self) -> dict:
        counts = {}
        for row in FairCount.objects.filter(fair_key=self.key).values("day", "kind", "count"):
            counts.setdefault(row["day"], dict.fromkeys(KINDS, 0))[row["kind"]] = row["count"]
        return counts

    def _load_sales(self) -> dict:
        tz = timezone.get_current_timezone()
        rows = (
            self.lines.annotate(day=TruncDate("order__date_placed", tzinfo=tz))
            .values("day")
            .annotate(orders=Count("order_id", distinct=True), revenue=Sum("line_price_incl_tax"))
        )
        return {row["day"]: (row["orders"], _dong(row["revenue"])) for row in rows}

    def days(self) -> list:
        """Every day from a week before the fair to a week after, widened to any day with figures."""
        first = self.fair.start_date - timedelta(days=MARGIN_DAYS)
        last = self.fair.end_date + timedelta(days=MARGIN_DAYS)
        active = [*self._counts, *self._sales]
        if active:
            first, last = min(first, *active), max(last, *active)
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def daily(self) -> list[dict]:
        rows = []
        for day in self.days():
            counts = self._counts.get(day, dict.fromkeys(KINDS, 0))
            orders, revenue = self._sales.get(day, (0, 0))
            clicks = counts[FairCount.Kind.EMBED_CLICK] + counts[FairCount.Kind.LINK_CLICK]
            rows.append({"day": day, **counts, "clicks": clicks, "orders": orders, "revenue": revenue})
        return rows

    def totals(self) -> dict:
        totals = dict.fromkeys(KINDS, 0)
        for counts in self._counts.values():
            for kind, value in counts.items():
                totals[kind] += value
        totals["clicks"] = totals[FairCount.Kind.EMBED_CLICK] + totals[FairCount.Kind.LINK_CLICK]
        # An order with lines on two days is still one order: counted on the order, not summed per day.
        totals["orders"] = self.lines.values("order_id").distinct().count()
        totals["revenue"] = sum(revenue for _orders, revenue in self._sales.values())
        return totals

    def top_products(self, limit=TOP_PRODUCTS) -> list[dict]:
        rows = (
            self.lines.values("product_id", "partner__name")
            .annotate(title=Max("title"), quantity=Sum("quantity"), revenue=Sum("line_price_incl_tax"))
            .order_by("-revenue", "-quantity", "title")
        )
        if limit:
            rows = rows[:limit]
        return [{**row, "revenue": _dong(row["revenue"])} for row in rows]

    def by_cooperative(self) -> list[dict]:
        """Orders and revenue per cooperative (the platform admin's view only; [] for members)."""
        if not self.is_admin:
            return []
        rows = (
            self.lines.values("partner_id", "partner__name")
            .annotate(orders=Count("order_id", distinct=True), revenue=Sum("line_price_incl_tax"))
            .order_by("-revenue", "partner__name")
        )
        return [{**row, "revenue": _dong(row["revenue"])} for row in rows]

    def chart_points(self, field="revenue") -> list[tuple[str, int]]:
        return [(row["day"].strftime("%d/%m"), row[field]) for row in self.daily()]


def index_rows(fairs, user) -> list[dict]:
    """Totals per fair for the report's index (three queries for any number of fairs)."""
    keys = [fair.translation_key for fair in fairs]
    counts = {}
    for row in FairCount.objects.filter(fair_key__in=keys).values("fair_key", "kind").annotate(total=Sum("count")):
        counts.setdefault(row["fair_key"], dict.fromkeys(KINDS, 0))[row["kind"]] = row["total"]
    lines = attributed_lines(user, fair_keys=keys)
    sales = {
        row["order__fair_attribution__fair_key"]: row
        for row in lines.values("order__fair_attribution__fair_key").annotate(
            orders=Count("order_id", distinct=True), revenue=Sum("line_price_incl_tax")
        )
    }
    rows = []
    for fair in fairs:
        fair_counts = counts.get(fair.translation_key, dict.fromkeys(KINDS, 0))
        sale = sales.get(fair.translation_key, {})
        rows.append(
            {
                "fair": fair,
                **fair_counts,
                "clicks": fair_counts[FairCount.Kind.EMBED_CLICK] + fair_counts[FairCount.Kind.LINK_CLICK],
                "orders": sale.get("orders", 0),
                "revenue": _dong(sale.get("revenue")),
            }
        )
    return rows
