"""/sitemap.xml: Wagtail pages and Oscar products, both languages, with hreflang alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from oscar.core.loading import get_model
from wagtail.models import Page

Product = get_model("catalogue", "Product")


def _absolute(protocol, domain, path):
    return f"{protocol}://{domain}{path}"


class RequestHostSitemap(Sitemap):
    """Absolute URLs on the host the request came to (checked by ALLOWED_HOSTS), not django.contrib.sites."""

    def __init__(self, request):
        self.request = request

    def get_domain(self, site=None):
        return self.request.get_host()


class PageSitemap(RequestHostSitemap):
    """Every live public page of every language; translations are listed as alternates."""

    def items(self):
        return list(
            Page.objects.live()
            .public()
            .filter(depth__gte=2)
            .select_related("locale")
            .order_by("path", "locale__language_code")
            .only("id", "path", "url_path", "depth", "translation_key", "locale", "last_published_at")
        )

    def lastmod(self, page):
        return page.last_published_at

    def _urls(self, page, protocol, domain):
        pages = self.paginator.page(page).object_list
        by_key = {}
        for item in self.items():
            by_key.setdefault(item.translation_key, []).append(item)
        urls = []
        for item in pages:
            parts = item.get_url_parts()
            if not parts:
                continue
            path = parts[2]
            alternates = []
            for translation in by_key.get(item.translation_key, []):
                parts = translation.get_url_parts()
                if parts:
                    code = translation.locale.language_code
                    alternates.append({"lang_code": code, "location": _absolute(protocol, domain, parts[2])})
                    if code == settings.LANGUAGE_CODE:
                        alternates.append({"lang_code": "x-default", "location": _absolute(protocol, domain, parts[2])})
            urls.append(
                {
                    "item": item,
                    "location": _absolute(protocol, domain, path),
                    "lastmod": item.last_published_at,
                    "changefreq": None,
                    "priority": None,
                    "alternates": alternates if len(alternates) > 2 else [],
                }
            )
        return urls


class ProductSitemap(RequestHostSitemap):
    """Public products in each language (Oscar's URLs under the /en/ prefix for English)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Product.objects.browsable().order_by("pk").only("id", "slug", "date_updated")

    def lastmod(self, product):
        return product.date_updated

    def location(self, product):
        return product.get_absolute_url()


class CooperativeSitemap(RequestHostSitemap):
    """The cooperatives' traceability pages (zones, certificates) in each language."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return get_model("catalogue", "Cooperative").objects.order_by("pk").only("id", "slug")

    def location(self, cooperative):
        return cooperative.get_absolute_url()


SITEMAPS = {"pages": PageSitemap, "products": ProductSitemap, "cooperatives": CooperativeSitemap}


def sitemap(request):
    """The whole sitemap in one document (a few hundred URLs; split into sections if it grows)."""
    return django_sitemap(request, sitemaps={name: cls(request) for name, cls in SITEMAPS.items()})
