"""Admin wiring: the product chooser, and links between the Wagtail admin and Oscar's dashboard."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.choosers import product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("register_admin_menu_item")
def register_shop_dashboard_link():
    return MenuItem(_("Quản lý bán hàng"), reverse("dashboard:index"), icon_name="tag", order=900)


@hooks.register("register_admin_menu_item")
def register_products_link():
    # A product's one page (variants, price, stock, traceability, CSV) is in Oscar's dashboard.
    return MenuItem(_("Sản phẩm"), reverse("dashboard:catalogue-product-list"), icon_name="tag", order=240)
