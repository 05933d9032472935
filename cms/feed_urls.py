"""Product feeds (cms.feeds), language neutral: /feeds/products.json and /feeds/products.csv."""

from django.urls import path

from cms import feeds

app_name = "feeds"

urlpatterns = [
    path("products.json", feeds.products_json, name="products-json"),
    path("products.csv", feeds.products_csv, name="products-csv"),
]
