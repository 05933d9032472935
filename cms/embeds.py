"""Embeddable product cards: iframe pages an organiser puts on their own site.

One page per product, per collection or trade fair page, and per cooperative. Each is small and
self-contained (budget in EMBED_BUDGET, tested), has no forms and sets no cookies: it renders
without the request's context processors, so nothing touches the session, CSRF token or basket.
Framing headers come from cms.framing, which runs outside the page cache so cached embeds keep them.

A trade fair's embed (its page's, or any embed asked for with `?hoi_cho=<code>`, which embed.js
adds for `data-fair`) carries the fair's code on its Buy and "see all" links (shop.fairs.attribution
counts those clicks where they land). Its views are counted by a beacon the iframe sends once it is
shown on another site (`view_beacon`): embed pages are kept for EMBED_MAX_AGE seconds by browsers and
CDNs, so a counter in this view would see only the first of the views within that time.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from oscar.core.loading import get_model
from wagtail.models import Page

from catalog import browse
from catalog.models import IN_FORCE, Certification, Cooperative
from catalog.trace import current_ocop

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

THEMES = ("light", "dark")
# Most cards a list embed shows; the rest are one click away on the shop's own page.
MAX_CARDS = 24
# Seconds shared caches (and browsers) may keep an embed: prices and stock must stay fresh.
EMBED_MAX_AGE = 300
# What an embed costs the organiser's page, checked by tests/cms/test_embeds.py.
# HTML per page, the stylesheet and the iframe's resize messenger; the organiser's embed.js on top.
EMBED_BUDGET = {"html_bytes": 15_000, "css_bytes": 6_000, "js_bytes": 2_000, "embed_js_bytes": 4_000}

IN_STOCK, OUT_OF_STOCK = "in_stock", "out_of_stock"


@dataclass
class Card:
    """What one embedded card shows, with certificate statuses worked out for today."""

    product: object
    price: object
    stock: str
    ocop: object
    certificates: list  # [(certificate, status)] in force or not, never OCOP (shown as stars)

    @property
    def in_stock(self) -> bool:
        return self.stock == IN_STOCK


def stock_status(product) -> str:
    """In stock when any stock record (the product's, or a variant's) has stock not yet allocated."""
    records = list(product.stockrecords.all())
    for child in product.children.all():
        records.extend(child.stockrecords.all())
    return IN_STOCK if any((r.net_stock_level or 0) > 0 for r in records) else OUT_OF_STOCK


def card_queryset(ids):
    """Public products for cards with everything a card needs, in a fixed number of queries."""
    certificates = Certification.objects.select_related("ocoprating").order_by("kind", "number")
    return browse.for_cards(browse.browsable_products().filter(pk__in=ids)).prefetch_related(
        Prefetch("children", queryset=Product.objects.prefetch_related("stockrecords")),
        Prefetch("certifications", queryset=certificates),
        Prefetch("held_certifications", queryset=certificates),
    )


def build_cards(ids, limit=MAX_CARDS) -> list[Card]:
    """Cards for these product ids, in the order given; ids that are not public are skipped.

    Also what the product feed (cms.feeds) lists, with no limit.
    """
    ids = [int(i) for i in ids if i][:limit]
    if not ids:
        return []
    found = {p.pk: p for p in card_queryset(ids)}
    today = timezone.localdate()
    cards = []
    for pk in ids:
        product = found.get(pk)
        if product is None:
            continue
        held = list(product.held_certifications.all())
        ratings = [c.ocoprating for c in held if c.is_ocop and hasattr(c, "ocoprating")]
        others, seen = [], set()
        for cert in [*product.certifications.all(), *held]:
            if cert.is_ocop or cert.pk in seen:
                continue
            seen.add(cert.pk)
            others.append((cert, cert.status(today)))
        # Certificates in force first; lapsed ones stay visible with their status, never hidden.
        others.sort(key=lambda pair: pair[1] not in IN_FORCE)
        cards.append(Card(product, product.card_price, stock_status(product), current_ocop(ratings, today), others))
    return cards


def theme(request) -> str:
    value = request.GET.get("theme", "")
    return value if value in THEMES else THEMES[0]


def requested_fair(request):
    """The live fair named by `?hoi_cho=<code>`, or None (unknown codes are ignored, never an error)."""
    from cms.models import TradeFairPage
    from shop.fairs.attribution import code_in

    code = code_in(request)
    return TradeFairPage.for_code(code) if code else None


def render_embed(request, context, fair=None) -> HttpResponse:
    """The embed page, rendered without context processors so no session, basket or CSRF cookie is made."""
    from shop.fairs.attribution import PARAM

    context = {"theme": theme(request), "language": get_language(), "fair_code": "", "beacon": "", **context}
    if fair is not None and fair.code:
        context["fair_code"] = fair.code
        context["beacon"] = f"{reverse('embed:view')}?{PARAM}={fair.code}"
    response = HttpResponse(render_to_string("embed/cards.html", context))
    response["Cache-Control"] = f"public, max-age={EMBED_MAX_AGE}"
    response["Content-Language"] = context["language"]
    return response


@require_safe
def product_embed(request, pk):
    cards = build_cards([pk])
    if not cards:
        raise Http404
    product = cards[0].product
    context = {"title": product.get_title(), "cards": cards, "single": True}
    return render_embed(request, context, fair=requested_fair(request))


def page_product_ids(page) -> list[int]:
    """Product ids a collection or trade fair page lists, in its order (no product loaded).

    Curated lists are read from the stream's raw data; a collection rule runs the catalogue's filters.
    """
    from cms.models import CollectionPage, TradeFairPage

    if isinstance(page, CollectionPage):
        if page.mode == CollectionPage.RULE:
            qs = browse.apply_filters(browse.browsable_products(), page.rule_filters())
            ordering = browse.SORTS.get(page.rule_sort or "relevance", browse.SORTS["relevance"])
            return list(qs.order_by(*ordering).values_list("pk", flat=True)[:MAX_CARDS])
        stream = page.curated_products
    elif isinstance(page, TradeFairPage):
        stream = page.featured_products
    else:
        return []
    return [block["value"] for block in stream.raw_data if block.get("type") == "product" and block.get("value")]


def embeddable_page(pk):
    """The live, public collection or trade fair page with this id, in the active language when translated."""
    from cms.models import CollectionPage, TradeFairPage

    page = get_object_or_404(Page.objects.live().public().specific(), pk=pk)
    if not isinstance(page, CollectionPage | TradeFairPage):
        raise Http404
    localized = page.localized
    return localized if localized.live else page


@require_safe
def page_embed(request, pk):
    from cms.models import TradeFairPage

    page = embeddable_page(pk)
    context = {
        "title": page.title,
        "intro": page.intro,
        "more_url": page.get_url(request),
        "cards": build_cards(page_product_ids(page)),
    }
    # A fair's own embed always carries its own code.
    fair = page if isinstance(page, TradeFairPage) and page.code else requested_fair(request)
    return render_embed(request, context, fair=fair)


def cooperative_product_ids(cooperative) -> list[int]:
    qs = browse.browsable_products().filter(cooperative=cooperative).order_by(*browse.SORTS["relevance"])
    return list(qs.values_list("pk", flat=True)[:MAX_CARDS])


@require_safe
def cooperative_embed(request, slug):
    cooperative = get_object_or_404(Cooperative, slug=slug)
    context = {
        "title": cooperative.get_name(),
        "more_url": cooperative.get_absolute_url(),
        "cards": build_cards(cooperative_product_ids(cooperative)),
    }
    return render_embed(request, context, fair=requested_fair(request))


@csrf_exempt  # sent by navigator.sendBeacon from a page without a session; it only adds one to a counter
@require_POST
@never_cache
def view_beacon(request):
    """One view of a fair's embed on another site, sent by frame.js when the iframe is shown (204).

    Counted here and not when the page is served, because browsers and CDNs keep embed pages for
    EMBED_MAX_AGE seconds. Not counted: visitors without JavaScript, the shop's own previews (the
    kit page), and iframes never scrolled near (they load lazily). Sets no cookie.
    """
    from shop.fairs.models import FairCount

    fair = requested_fair(request)
    if fair is None:
        raise Http404
    FairCount.bump(fair.translation_key, FairCount.Kind.EMBED_VIEW)
    return HttpResponse(status=204)
