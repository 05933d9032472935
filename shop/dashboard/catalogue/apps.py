from django.urls import path
from oscar.apps.dashboard.catalogue import apps
from oscar.core.loading import get_class


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, forked so a product is its cooperative's (views.py), with variants
    edited on the parent's page and CSV import/export of products and stock (imports.py)."""

    name = "shop.dashboard.catalogue"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        partner = DashboardPermission.partner_dashboard_access
        self.permissions_map.update(
            {
                # Oscar leaves variants to is_staff; here a cooperative adds variants to its own products.
                "catalogue-product-create-child": (
                    DashboardPermission.get("catalogue", "view_product", "add_product"),
                    partner,
                ),
                # Deleting is the manager's (the role's group has delete_product), as for lots and certificates.
                "catalogue-product-delete": DashboardPermission.get("catalogue", "view_product", "delete_product"),
                "catalogue-product-export": (DashboardPermission.get("catalogue", "view_product"), partner),
                "catalogue-product-import": (
                    DashboardPermission.get("catalogue", "add_product", "change_product"),
                    partner,
                ),
                "catalogue-product-import-confirm": (
                    DashboardPermission.get("catalogue", "add_product", "change_product"),
                    partner,
                ),
            }
        )

    def ready(self):
        super().ready()
        self.product_export_view = get_class("dashboard.catalogue.views", "ProductExportView")
        self.product_import_view = get_class("dashboard.catalogue.views", "ProductImportView")
        self.product_import_confirm_view = get_class("dashboard.catalogue.views", "ProductImportConfirmView")

    def get_urls(self):
        urls = [
            path("products/export/", self.product_export_view.as_view(), name="catalogue-product-export"),
            path("products/import/", self.product_import_view.as_view(), name="catalogue-product-import"),
            path(
                "products/import/confirm/",
                self.product_import_confirm_view.as_view(),
                name="catalogue-product-import-confirm",
            ),
        ]
        return self.post_process_urls(urls) + super().get_urls()
