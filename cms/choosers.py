"""The admin chooser over Oscar's products: pages reference products, Oscar keeps owning them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.chooser import ChooserViewSet

from catalog.scoping import ScopedChooserMixin, scoped_view_class
from cms import search


class ProductFilterForm(BaseFilterForm):
    """Search products the way shoppers do: accents, case and đ/d do not matter."""

    q = forms.CharField(
        label=_("Tìm sản phẩm"),
        widget=forms.TextInput(attrs={"placeholder": _("Tên hoặc mã sản phẩm")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = objects.filter(pk__in=search.product_ids(query))
            self.is_searching = True
            self.search_query = query
        return objects


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Chọn sản phẩm")
    choose_another_text = _("Chọn sản phẩm khác")
    edit_item_text = _("Sửa sản phẩm")
    page_title = _("Chọn sản phẩm")
    per_page = 20
    ordering = ("title", "pk")

    def construct_view(self, view_class, **kwargs):
        # A cooperative's staff choose among their own products only (catalog.scoping).
        return super().construct_view(scoped_view_class(view_class, ScopedChooserMixin), **kwargs)

    @property
    def choose_mixin(self):
        return ProductChooseMixin

    @property
    def choose_view_class(self):
        from wagtail.admin.views.generic.chooser import ChooseView

        return type("ProductChooseView", (self.choose_mixin, ChooseView), {})

    @property
    def choose_results_view_class(self):
        from wagtail.admin.views.generic.chooser import ChooseResultsView

        return type("ProductChooseResultsView", (self.choose_mixin, ChooseResultsView), {})


class ProductChooseMixin:
    """Standalone and parent products only, with their code beside the title."""

    filter_form_class = ProductFilterForm

    def get_object_list(self):
        return self.model_class.objects.exclude(structure="child").only("pk", "title", "upc", "is_public")

    @property
    def columns(self):
        return super().columns + [
            Column("upc", label=_("Mã sản phẩm")),
            Column("is_public", label=_("Đang bán"), accessor=lambda p: _("Có") if p.is_public else _("Không")),
        ]


class LotProductChooseMixin(ProductChooseMixin):
    """For a lot: the variants too, since a lot is packed in one pack size and its QR carries that
    variant's GTIN; a parent stays choosable for a batch not packed yet (it has no GTIN of its own)."""

    def get_object_list(self):
        return self.model_class.objects.only("pk", "title", "upc", "gtin", "is_public", "structure")

    @property
    def columns(self):
        *columns, on_sale = super().columns
        return [*columns, Column("gtin", label=_("GTIN"), accessor=lambda p: p.gtin or "–"), on_sale]


class LotProductChooserViewSet(ProductChooserViewSet):
    # The page editor's product blocks keep the default chooser; this one is only the lot form's.
    register_widget = False

    @property
    def choose_mixin(self):
        return LotProductChooseMixin


product_chooser_viewset = ProductChooserViewSet("product_chooser")
lot_product_chooser_viewset = LotProductChooserViewSet("lot_product_chooser")
