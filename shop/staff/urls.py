"""The second-factor step, outside Wagtail's admin wrapper: it must answer before the session is
verified, for every kind of staff user (mounted at /admin/two-factor/verify/ in shop.urls)."""

from django.urls import path

from shop.staff import views

urlpatterns = [path("", views.verify, name="staff_2fa_verify")]
