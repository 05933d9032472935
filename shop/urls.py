"""One site: Wagtail owns `/` and every content page; Oscar's storefront lives under `/shop/`.

Order matters: fixed routes first, then Oscar under its prefix, Wagtail's catch-all last.
Page slugs that would be shadowed by a fixed route are refused (see cms.models.reserved_slug).
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from shop import views

# Language-neutral routes: staff tools, health checks and machine endpoints.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Shopper-facing routes: Vietnamese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
