from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """The project itself and the commerce around Oscar: checkout, payment, health."""

    name = "shop"
    verbose_name = _("Cửa hàng")
