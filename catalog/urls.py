"""Traceability pages, in Vietnamese at /truy-xuat/ and English at /en/truy-xuat/."""

from django.urls import path

from catalog import trace_views as views

app_name = "trace"

urlpatterns = [
    path("", views.TraceIndexView.as_view(), name="index"),
    path("tu-vung/", views.VocabularyView.as_view(), name="vocabulary"),
    path("htx/<slug:slug>/", views.CooperativeView.as_view(), name="cooperative"),
    path("vung/<int:pk>/", views.ZoneView.as_view(), name="zone"),
    path("chung-nhan/<int:pk>/", views.CertificateView.as_view(), name="certificate"),
    path("san-pham/<int:pk>/", views.ProductTraceView.as_view(), name="product"),
    path("san-pham/<int:pk>/chung-nhan/", views.ProductCertificatesView.as_view(), name="product-certificates"),
    path("lo/<int:pk>/", views.LotView.as_view(), name="lot"),
    path("lo/<int:pk>/chung-nhan/", views.LotCertificatesView.as_view(), name="lot-certificates"),
    path("lo/<int:pk>/nhan/", views.LotLabelsView.as_view(), name="lot-labels"),
]
