"""Short links of trade fairs (language-neutral; the visitor's language picks the page)."""

from django.urls import re_path

from shop.fairs import views

app_name = "fairs"

CODE = r"(?P<code>[A-Za-z0-9-]{1,20})"

urlpatterns = [
    re_path(rf"^{CODE}/?$", views.short_link, name="short_link"),
    re_path(rf"^{CODE}/(?P<product>[0-9]{{1,12}})/?$", views.short_link, name="short_link_product"),
]
