"""A fair's short links, as printed on posters and price lists: `<SITE_URL>/h/<code>` and `/h/<code>/<product id>`."""

from django.conf import settings
from django.urls import reverse


def short_link(code: str, product_pk=None) -> str:
    """The absolute short link of a fair (or of one product at the fair) on the shop's public address."""
    if product_pk is None:
        path = reverse("fairs:short_link", kwargs={"code": code})
    else:
        path = reverse("fairs:short_link_product", kwargs={"code": code, "product": product_pk})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def without_scheme(url: str) -> str:
    """What people type: `shop.example.org/h/HCM2026`."""
    return url.split("://", 1)[-1]
