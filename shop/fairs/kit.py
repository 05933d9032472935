"""The trade-fair kit of a TradeFairPage: A4 poster, booth price list, the organiser's embed snippet.

Each function returns the context its sub-page (cms.models.TradeFairPage routes) adds to the page's.
QR codes are catalog.qr's (segno), inline SVG, and point at the fair's short links, which carry the
fair's code into the shop (shop.fairs.attribution).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog import qr
from catalog.models import Cooperative
from cms import embeds
from shop.fairs.links import short_link, without_scheme


def inline_qr(data: str, title: str) -> str:
    """A QR code as inline SVG (segno's output: our own markup, data escaped by segno)."""
    return mark_safe(qr.svg(data, title=title).decode())


def fair_cards(fair):
    return embeds.build_cards(embeds.page_product_ids(fair), limit=None)


def cooperatives_of(cards):
    """The cooperatives whose products the fair shows, by name (one query)."""
    ids = {card.product.cooperative_id for card in cards if card.product.cooperative_id}
    return sorted(Cooperative.objects.filter(pk__in=ids), key=lambda c: c.get_name())


def poster_context(fair, request) -> dict:
    link = short_link(fair.code)
    cards = fair_cards(fair)
    return {
        "short_link": link,
        "short_link_text": without_scheme(link),
        "qr": inline_qr(link, _("Mã QR đến gian hàng trực tuyến của hội chợ")),
        "cooperatives": cooperatives_of(cards),
        "meta_robots": "noindex",
    }


def price_list_context(fair, request) -> dict:
    cards = fair_cards(fair)
    rows = []
    for card in cards:
        link = short_link(fair.code, card.product.pk)
        rows.append(
            {
                "card": card,
                "link": link,
                "link_text": without_scheme(link),
                "qr": inline_qr(link, _("Mã QR: %(product)s") % {"product": card.product.get_title()}),
            }
        )
    return {"rows": rows, "priced_on": timezone.localdate(), "short_link": short_link(fair.code)}


def kit_context(fair, request) -> dict:
    from cms.oembed import discovery_href
    from shop.fairs.attribution import PARAM

    cards = fair_cards(fair)
    first = cards[0].product if cards else None
    link = short_link(fair.code)
    return {
        "short_link": link,
        "poster_url": fair.url + fair.reverse_subpage("poster"),
        "price_list_url": fair.url + fair.reverse_subpage("price_list"),
        "example_product": first,
        "feed_json": reverse("feeds:products-json") + "?" + urlencode({"fair": fair.code}),
        "feed_csv": reverse("feeds:products-csv") + "?" + urlencode({"fair": fair.code}),
        "oembed_url": discovery_href(request, fair.url),
        "fair_param": PARAM,
        "attribution_days": settings.FAIR_ATTRIBUTION_DAYS,
    }
