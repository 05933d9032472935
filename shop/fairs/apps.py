from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    """Trade fairs as a sales channel: which fair a visitor came through, and what each fair sold."""

    name = "shop.fairs"
    label = "fairs"
    verbose_name = _("Hội chợ")

    def ready(self):
        from oscar.apps.order.signals import order_placed

        from shop.fairs import attribution

        order_placed.connect(attribution.on_order_placed, dispatch_uid="fairs.order_placed")
