"""The fair report in the Wagtail admin: /admin/hoi-cho/ (registered by shop.fairs.wagtail_hooks)."""

from django.urls import path

from shop.fairs import views

app_name = "fairs_report"

urlpatterns = [
    path("", views.FairReportIndexView.as_view(), name="index"),
    path("<int:pk>/", views.FairReportView.as_view(), name="detail"),
    path("<int:pk>/bao-cao.csv", views.FairReportCsvView.as_view(), name="csv"),
]
