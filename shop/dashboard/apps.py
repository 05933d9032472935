import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked only so `get_class("dashboard.orders...")` finds shop/dashboard/orders first."""

    name = "shop.dashboard"
