"""Page-level views: the one search over pages and products, robots.txt."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from oscar.core.loading import get_model
from wagtail.models import Page

from catalog.browse import products_for_cards
from cms import search
from cms.models import SearchEntry

Product = get_model("catalogue", "Product")
RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 100


@require_safe
def search_view(request):
    """Pages of the active language and products in either language, accents ignored."""
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    context = {"query": query, "results": [], "page_obj": None, "querystring": ""}
    if query:
        paginator = Paginator(search.matching(query), RESULTS_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            raise Http404(_("Trang không tồn tại.")) from None
        context.update(
            results=_resolve(list(page_obj.object_list), request),
            page_obj=page_obj,
            paginator=paginator,
            querystring=f"q={query}",
        )
    context["meta_title"] = _("Tìm kiếm: %(q)s") % {"q": query} if query else _("Tìm kiếm")
    response = render(request, "cms/search_results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _resolve(entries, request):
    """Turn entries into what the template shows, two queries whatever the number of results."""
    page_ids = [e.object_id for e in entries if e.kind == SearchEntry.PAGE]
    product_ids = [e.object_id for e in entries if e.kind == SearchEntry.PRODUCT]
    pages = {p.pk: p for p in Page.objects.filter(pk__in=page_ids).live().specific(defer=True)} if page_ids else {}
    products = products_for_cards(product_ids)
    results = []
    for entry in entries:
        if entry.kind == SearchEntry.PAGE and entry.object_id in pages:
            page = pages[entry.object_id]
            results.append({"kind": "page", "page": page, "url": page.get_url(request)})
        elif entry.kind == SearchEntry.PRODUCT and entry.object_id in products:
            results.append({"kind": "product", "product": products[entry.object_id]})
    return results


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """Crawl the shop, not the staff tools, baskets, checkout or search result pages."""
    lines = ["User-agent: *"]
    for prefix in ("", "/en"):
        lines += [
            f"Disallow: {prefix}/shop/basket/",
            f"Disallow: {prefix}/shop/checkout/",
            f"Disallow: {prefix}/shop/accounts/",
            f"Disallow: {prefix}/shop/dashboard/",
            f"Disallow: {prefix}/search/",
        ]
    lines += [
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
