"""Oscar's dashboard home. For a cooperative, its own figures only.

Oscar's home for partner users totals whole orders (the other cooperative's lines, shipping and
discounts included), customers and baskets. A cooperative's home here shows its orders to fulfil,
its low-stock products and this month's sales, from the same panels as the staff home in the
Wagtail admin (shop/dashboard/panels.py), which it links to.
"""

from django.views.generic import TemplateView
from oscar.apps.dashboard import views

from catalog.scoping import cooperative_for
from shop.dashboard.panels import LowStockPanel, MonthlySalesPanel, OrdersToFulfilPanel


class IndexView(views.IndexView):
    def get_context_data(self, **kwargs):
        cooperative = cooperative_for(self.request.user)
        if cooperative is None:
            return super().get_context_data(**kwargs)
        # Not Oscar's get_stats(): its figures are of whole orders.
        ctx = TemplateView.get_context_data(self, **kwargs)
        cooperatives = [cooperative]
        ctx["cooperative"] = cooperative
        ctx["to_fulfil"] = OrdersToFulfilPanel(self.request, cooperatives).sections()[0]
        ctx["low_stock"] = LowStockPanel(self.request, cooperatives).sections()[0]
        ctx["sales"] = MonthlySalesPanel(self.request, cooperatives).sections()[0]
        return ctx
