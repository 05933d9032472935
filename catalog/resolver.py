"""GS1 Digital Link resolver and the traceability endpoints machines read (EPCIS, QR codes).

These routes are language-neutral (printed in QR codes); the resolver redirects to the page in the
visitor's language, as chosen by Django's LocaleMiddleware from the cookie or Accept-Language.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from oscar.core.loading import get_model

from catalog import epcis, gs1, qr, trace
from catalog.models import Lot

Product = get_model("catalogue", "Product")

GS1_VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
# linkType values we answer; "linkset" and "all" return the JSON linkset instead of redirecting.
LINK_TYPES = ("pip", "traceability", "certificationInfo", "epcis")


class HttpResponseTemporaryRedirect(HttpResponseRedirectBase):
    """307: GS1 resolvers must not turn the request into a GET or let it be cached as permanent."""

    status_code = 307


@dataclass(frozen=True)
class Link:
    link_type: str  # short GS1 name, e.g. "pip"
    href: str
    title: str
    media_type: str = "text/html"
    hreflang: str | None = None

    @property
    def rel(self) -> str:
        return GS1_VOC + self.link_type

    def header(self) -> str:
        """One RFC 8288 link-value; the title goes in title* so Vietnamese survives HTTP headers."""
        parts = [f"<{self.href}>", f'rel="{self.rel}"', f'type="{self.media_type}"']
        if self.hreflang:
            parts.append(f'hreflang="{self.hreflang}"')
        parts.append(f"title*=UTF-8''{quote(self.title, safe='')}")
        return "; ".join(parts)

    def as_linkset(self) -> dict:
        item = {"href": self.href, "title": self.title, "type": self.media_type}
        if self.hreflang:
            item["hreflang"] = [self.hreflang]
        return item


def links_for(request, product, lot=None) -> list[Link]:
    """Every link we publish for a GTIN (or a GTIN + lot), in each language where it is a page."""
    absolute = request.build_absolute_uri
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            title = product.get_title()
            if lot is not None:
                links.append(
                    Link(
                        "traceability",
                        absolute(lot.get_absolute_url()),
                        _("Truy xuất lô %(lot)s") % {"lot": lot.code},
                        hreflang=code,
                    )
                )
                certificates_url = reverse("trace:lot-certificates", kwargs={"pk": lot.pk})
            else:
                links.append(
                    Link(
                        "traceability",
                        absolute(product.get_trace_url()),
                        _("Các lô của %(title)s") % {"title": title},
                        hreflang=code,
                    )
                )
                certificates_url = reverse("trace:product-certificates", kwargs={"pk": product.pk})
            links.append(Link("pip", absolute(product.get_absolute_url()), title, hreflang=code))
            links.append(Link("certificationInfo", absolute(certificates_url), _("Chứng nhận"), hreflang=code))
    if lot is not None:
        epcis_url = reverse("gs1:lot-epcis", kwargs={"pk": lot.pk})
    else:
        epcis_url = reverse("gs1:product-epcis", kwargs={"pk": product.pk})
    links.append(Link("epcis", absolute(epcis_url), "EPCIS 2.0 JSON-LD", media_type=epcis.MEDIA_TYPE))
    return links


def choose(links, link_type, language):
    """The link of this type in the visitor's language, else in any language."""
    candidates = [link for link in links if link.link_type == link_type]
    for link in candidates:
        if link.hreflang == language:
            return link
    return candidates[0] if candidates else None


def normalise_link_type(value: str | None) -> str | None:
    """Accept `gs1:pip`, `https://gs1.org/voc/pip` and `pip`; `linkset` and `all` stay as they are."""
    if not value:
        return None
    for prefix in ("gs1:", GS1_VOC, "http://gs1.org/voc/"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def linkset(anchor, product, links, default) -> dict:
    entry = {"anchor": anchor, "itemDescription": product.get_title()}
    entry[GS1_VOC + "defaultLink"] = [default.as_linkset()]
    for link in links:
        entry.setdefault(link.rel, []).append(link.as_linkset())
    return {"linkset": [entry]}


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Link, Location"
    return response


def error_page(request, status, reason, path):
    context = {"status": status, "reason": reason, "path": path}
    return render(request, "catalog/resolver_error.html", context, status=status)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolve(request, rest):
    """Answer a GS1 Digital Link: /01/{gtin}[/10/{lot}][?linkType=...] (see the module doc)."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        return _cors(response)
    # The resolver's URLs carry no language prefix, so LocaleMiddleware settles on Vietnamese; the
    # visitor's own choice (language cookie, then Accept-Language) picks the language of the answer.
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        response = _resolve(request, language)
    patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
    return _cors(response)


def _resolve(request, language):
    try:
        parsed = gs1.parse_request_path(request.path_info, request.META.get("QUERY_STRING", ""))
    except gs1.InvalidIdentifier as exc:
        return error_page(request, 400, str(exc), request.path)

    products = Product.objects.select_related("cooperative")
    product = products.filter(gtin=parsed.gtin14).first()
    if product is None or not (product.is_public or request.user.is_staff):
        return error_page(
            request, 404, _("Không có sản phẩm nào mang GTIN %(gtin)s.") % {"gtin": parsed.gtin14}, request.path
        )
    lot = None
    if parsed.lot:
        lot = (
            Lot.objects.visible_to(request.user)
            .select_related("product")
            .filter(product=product, code=parsed.lot)
            .first()
        )

    links = links_for(request, product, lot)
    default = choose(links, "traceability" if lot else "pip", language)
    anchor = gs1.digital_link(product.gtin, lot.code if lot else None)
    link_type = normalise_link_type(request.GET.get("linkType"))
    accept = request.headers.get("Accept", "")
    if link_type in ("linkset", "all") or (LINKSET_TYPE in accept and not link_type):
        response = JsonResponse(
            linkset(anchor, product, links, default),
            content_type=LINKSET_TYPE,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        if parsed.lot and lot is None:
            messages.warning(
                request,
                _("Không tìm thấy lô “%(lot)s” của sản phẩm này. Hãy kiểm tra lại mã lô in trên bao bì.")
                % {"lot": parsed.lot},
            )
            target = choose(links, "pip", language)
        else:
            target = choose(links, link_type, language) if link_type in LINK_TYPES else None
        response = HttpResponseTemporaryRedirect((target or default).href)
    linkset_url = request.build_absolute_uri(request.path) + "?linkType=linkset"
    headers = [link.header() for link in links]
    headers.append(f'<{linkset_url}>; rel="linkset"; type="{LINKSET_TYPE}"')
    response["Link"] = ", ".join(headers)
    return response


@require_safe
def resolver_description(request):
    """/.well-known/gs1resolver: what this resolver answers (GS1 Digital Link resolver description)."""
    data = {
        "name": str(settings.OSCAR_SHOP_NAME),
        "resolverRoot": settings.GS1_RESOLVER_BASE,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [
            {"namespace": GS1_VOC, "prefix": "gs1:", "profile": "https://gs1.org/voc/?show=linktypes"}
        ],
        "supportedLinkTypes": [f"gs1:{name}" for name in LINK_TYPES],
        "linkTypeDefaultCanBeLinkset": True,
        "supportedContextValuesEnumerated": [code for code, _name in settings.LANGUAGES],
    }
    return _cors(JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2}))


def _visible_lot(request, pk):
    return get_object_or_404(Lot.objects.visible_to(request.user).select_related("product"), pk=pk)


def _visible_product(request, pk):
    product = get_object_or_404(Product, pk=pk)
    if not (product.is_public or request.user.is_staff):
        raise Http404
    return product


def _epcis_response(events):
    response = JsonResponse(
        epcis.document(events), content_type=epcis.MEDIA_TYPE, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return _cors(response)


@require_safe
def lot_epcis(request, pk):
    lot = _visible_lot(request, pk)
    return _epcis_response(trace.events_for_lots([lot.pk]))


@require_safe
def product_epcis(request, pk):
    product = _visible_product(request, pk)
    lot_ids = Lot.objects.visible_to(request.user).filter(product=product).values_list("pk", flat=True)
    return _epcis_response(trace.events_for_lots(list(lot_ids)))


def _qr_response(data, fmt, title):
    if fmt == "svg":
        response = HttpResponse(qr.svg(data, title=title), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.png(data), content_type="image/png")
    patch_cache_control(response, public=True, max_age=86400)
    return response


def lot_link(request, lot) -> str:
    """What a lot's QR code carries: its Digital Link, or its page when the product has no GTIN."""
    return lot.digital_link or request.build_absolute_uri(lot.get_absolute_url())


def product_link(request, product) -> str:
    return product.digital_link or request.build_absolute_uri(product.get_absolute_url())


@require_safe
def lot_qr(request, pk, fmt):
    lot = _visible_lot(request, pk)
    response = _qr_response(lot_link(request, lot), fmt, lot.code)
    if not (lot.is_public and lot.product.is_public):
        # Shown only to the lot's own staff: no shared cache may keep it.
        patch_cache_control(response, private=True)
    return response


@require_safe
def product_qr(request, pk, fmt):
    product = _visible_product(request, pk)
    return _qr_response(product_link(request, product), fmt, product.get_title())
