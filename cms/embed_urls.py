"""Embed iframe pages (cms.embeds), inside i18n_patterns: /embed/... in Vietnamese, /en/embed/... in English."""

from django.urls import path

from cms import embeds

app_name = "embed"

urlpatterns = [
    path("product/<int:pk>/", embeds.product_embed, name="product"),
    path("page/<int:pk>/", embeds.page_embed, name="page"),
    path("cooperative/<slug:slug>/", embeds.cooperative_embed, name="cooperative"),
    # A fair's embed was shown on another site (frame.js's beacon; shop.fairs counts it).
    path("xem/", embeds.view_beacon, name="view"),
]
