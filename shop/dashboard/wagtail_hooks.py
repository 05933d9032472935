"""The staff home (/admin/) gets each cooperative's commerce panels: orders, stock, sales (panels.py)."""

from wagtail import hooks

from catalog.panels import workspace_cooperatives
from shop.dashboard.panels import LowStockPanel, MonthlySalesPanel, OrdersToFulfilPanel


@hooks.register("construct_homepage_panels")
def add_commerce_panels(request, panels):
    cooperatives = workspace_cooperatives(request)
    if not cooperatives:
        return
    panels.extend(
        [
            OrdersToFulfilPanel(request, cooperatives),
            LowStockPanel(request, cooperatives),
            MonthlySalesPanel(request, cooperatives),
        ]
    )
