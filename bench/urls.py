"""The shop's URLs plus /media/ from MEDIA_ROOT, for the load test and Lighthouse on loopback.

In production the bucket (or nginx, `location /media/` in the README) serves media; here gunicorn
does, with the same week of caching the README's nginx block gives them.
"""

from django.conf import settings
from django.urls import re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve

from shop.urls import urlpatterns as shop_urlpatterns

urlpatterns = [
    re_path(
        r"^media/(?P<path>.*)$",
        cache_control(public=True, max_age=7 * 24 * 3600)(serve),
        {"document_root": settings.MEDIA_ROOT},
    ),
    *shop_urlpatterns,
]
