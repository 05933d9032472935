"""Catalogue browsing straight from the database: filters, facet counts, sorting, pages.

A plain listing makes a fixed number of queries whatever the catalogue size: one count, one
page of products with their stock record price annotated, and one prefetch each for images
and stock records. No search engine round trip.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")

SORTS = {
    "relevance": ("-priority", "-date_created", "id"),
    "newest": ("-date_created", "id"),
    "price-asc": ("card_price", "id"),
    "price-desc": ("-card_price", "id"),
    "title": ("title", "id"),
}


class BrowseForm(forms.Form):
    """The filters a shopper can set; every field is optional and validated."""

    cooperative = forms.SlugField(required=False, label=_("Hợp tác xã"))
    min_price = forms.IntegerField(required=False, min_value=0, label=_("Giá từ (₫)"))
    max_price = forms.IntegerField(required=False, min_value=0, label=_("Giá đến (₫)"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sắp xếp"),
        choices=[
            ("relevance", _("Nổi bật")),
            ("newest", _("Mới nhất")),
            ("price-asc", _("Giá tăng dần")),
            ("price-desc", _("Giá giảm dần")),
            ("title", _("Tên A–Z")),
        ],
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("Giá “từ” phải nhỏ hơn hoặc bằng giá “đến”."))
        return data


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Browse:
    products: object
    facets: dict = field(default_factory=dict)


def browsable_products(categories=None):
    """Public parent/standalone products with their lowest price annotated for cards and sorting."""
    price = (
        StockRecord.objects.filter(Q(product=OuterRef("pk")) | Q(product__parent=OuterRef("pk")))
        .order_by("price")
        .values("price")[:1]
    )
    qs = Product.objects.browsable().annotate(card_price=Subquery(price))
    if categories is not None:
        qs = qs.filter(categories__in=categories).distinct()
    return qs


def apply_filters(qs, data):
    if data.get("cooperative"):
        qs = qs.filter(
            Q(stockrecords__partner__code=data["cooperative"])
            | Q(children__stockrecords__partner__code=data["cooperative"])
        ).distinct()
    if data.get("min_price") is not None:
        qs = qs.filter(card_price__gte=data["min_price"])
    if data.get("max_price") is not None:
        qs = qs.filter(card_price__lte=data["max_price"])
    return qs


def cooperative_facets(qs, selected):
    """Counts per cooperative over the other active filters, in one grouped query."""
    rows = (
        Partner.objects.filter(stockrecords__product__in=qs.values("pk"))
        .annotate(n=Count("stockrecords__product", distinct=True))
        .order_by("name")
        .values_list("code", "name", "n")
    )
    return [Facet(code, name, n, code == selected) for code, name, n in rows]


def for_cards(qs):
    """What a product card needs, fetched in bulk (no query per product in the template)."""
    return qs.prefetch_related("images", "stockrecords__partner")


def price_bounds(qs):
    return qs.aggregate(low=Min("card_price"))
