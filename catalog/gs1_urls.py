"""Language-neutral traceability routes: the GS1 Digital Link resolver and machine endpoints.

Mounted before i18n_patterns in shop/urls.py: these URLs are printed in QR codes and read by
scanners and EPCIS clients, so they must not depend on a language prefix.
"""

from django.urls import path, re_path

from catalog import resolver

app_name = "gs1"

urlpatterns = [
    re_path(r"^01/(?P<rest>.+)$", resolver.resolve, name="resolve"),
    path(".well-known/gs1resolver", resolver.resolver_description, name="resolver-description"),
    path("truy-xuat/lo/<int:pk>/epcis.jsonld", resolver.lot_epcis, name="lot-epcis"),
    re_path(r"^truy-xuat/lo/(?P<pk>\d+)/qr\.(?P<fmt>svg|png)$", resolver.lot_qr, name="lot-qr"),
    path("truy-xuat/san-pham/<int:pk>/epcis.jsonld", resolver.product_epcis, name="product-epcis"),
    re_path(r"^truy-xuat/san-pham/(?P<pk>\d+)/qr\.(?P<fmt>svg|png)$", resolver.product_qr, name="product-qr"),
]
