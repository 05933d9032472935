"""One site: Wagtail owns `/` and every content page; Oscar's storefront lives under `/shop/`.

Order matters: fixed routes first, then Oscar under its prefix, Wagtail's catch-all last.
Page slugs that would be shadowed by a fixed route are refused (see cms.models.reserved_slug).
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import oembed, sitemaps
from cms import views as cms_views
from shop import views

# Language-neutral routes: staff tools, health checks and machine endpoints.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The code after the password (shop.staff), before Wagtail's admin wraps it in its own checks.
    path("admin/two-factor/verify/", include("shop.staff.urls")),
    # Wagtail's workflow reports with their filters scoped to the user's cooperative (cms.reports).
    path("admin/reports/", include("cms.reports")),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Stripe's webhook, VietQR images and staff payment actions (shop.payment.urls).
    path("payment/", include("shop.payment.urls")),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    # oEmbed provider for product, collection, trade fair and cooperative pages (cms.oembed).
    path("oembed", oembed.oembed, name="oembed"),
    # Product feeds in JSON and CSV for organisers, optionally one trade fair's (cms.feeds).
    path("feeds/", include("cms.feed_urls")),
    # Trade fairs' short links, printed under their QR codes: /h/<code>, /h/<code>/<product id>.
    path("h/", include("shop.fairs.urls")),
    # GS1 Digital Link resolver (/01/...), /.well-known/gs1resolver, EPCIS and QR images.
    path("", include("catalog.gs1_urls")),
]

# Shopper-facing routes: Vietnamese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # One search over pages and products (cms.search) replaces Oscar's Haystack search page.
    path("search/", cms_views.search_view, name="site_search"),
    path("shop/search/", RedirectView.as_view(pattern_name="site_search", query_string=True)),
    # Communes/wards of a province as JSON (address forms) and guest order tracking.
    path("shop/dia-chi/", include("shop.address.urls")),
    path("shop/tra-cuu-don-hang/", include("shop.order.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    # Lot, cooperative, zone and certificate pages (catalog.urls).
    path("truy-xuat/", include("catalog.urls")),
    # Iframe pages organisers embed: product cards, collections, trade fairs, cooperatives.
    path("embed/", include("cms.embed_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
