"""Caching headers and compression on every kind of text response (cms.http, django-http-compression)."""

import gzip

import brotli
import pytest
from django.apps import apps
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")


@pytest.fixture
def urls():
    Lot = apps.get_model("catalogue", "Lot")
    lot = Lot.objects.public().exclude(product__gtin="").select_related("product").order_by("pk").first()
    product = Product.objects.browsable().filter(is_public=True).order_by("pk").first()
    return {
        "home": "/",
        "home_en": "/en/",
        "listing": "/shop/catalogue/",
        "product": product.get_absolute_url(),
        "lot": lot.get_absolute_url(),
        "epcis": f"/truy-xuat/lo/{lot.pk}/epcis.jsonld",
        "qr": f"/truy-xuat/lo/{lot.pk}/qr.svg",
        "resolver": lot.digital_link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]),
        "sitemap": "/sitemap.xml",
        "feed_json": "/feeds/products.json",
        "feed_csv": "/feeds/products.csv",
        "search": "/search/?q=hat+dieu",
        "basket": "/shop/basket/",
    }


@pytest.mark.parametrize(
    "name, content_type",
    [
        ("home", "text/html"),
        ("listing", "text/html"),
        ("product", "text/html"),
        ("lot", "text/html"),
        ("sitemap", "application/xml"),
        ("feed_json", "application/json"),
        ("feed_csv", "text/csv"),
        ("epcis", "application/ld+json"),
        ("qr", "image/svg+xml"),
    ],
)
def test_text_responses_are_compressed_and_say_how_long_they_keep(client, urls, name, content_type):
    plain = client.get(urls[name])
    assert plain.status_code == 200
    assert plain["Content-Type"].startswith(content_type)
    assert "Content-Encoding" not in plain  # nothing is compressed for a client that cannot read it
    assert plain.has_header("Cache-Control"), name

    zipped = client.get(urls[name], HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert "accept-encoding" in zipped["Vary"].lower()
    assert len(gzip.decompress(zipped.content)) >= len(zipped.content)

    br = client.get(urls[name], HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(br.content).startswith(plain.content[:20])


def test_zstd_is_preferred_when_the_browser_offers_it(client, urls):
    response = client.get(urls["home"], HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert response["Content-Encoding"] == "zstd"


@pytest.mark.parametrize("name", ["home", "home_en", "listing", "sitemap"])
def test_pages_for_cookie_less_visitors_are_public_for_a_minute(client, urls, name, settings):
    response = client.get(urls[name])
    assert not response.cookies
    assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_PAGE_MAX_AGE}"
    assert response.has_header("ETag")


def test_a_page_with_a_form_sets_the_csrf_cookie_and_so_stays_private(client, urls):
    response = client.get(urls["product"])
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == "private, no-cache"
    assert "cookie" in response["Vary"].lower()


def test_unchanged_public_page_answers_304(client, urls):
    first = client.get(urls["listing"], HTTP_ACCEPT_ENCODING="gzip")
    etag = first["ETag"]
    assert etag.startswith('W/"')  # weak: the compressed body differs from the uncompressed one
    again = client.get(urls["listing"], HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_a_shopper_with_a_basket_gets_private_pages(client, urls):
    product = Product.objects.browsable().filter(is_public=True, stockrecords__num_in_stock__gt=0).first()
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, HTTP_REFERER=urls["home"])
    for name in ("home", "listing", "basket"):
        response = client.get(urls[name])
        assert response["Cache-Control"].startswith("private"), name
        assert "public" not in response["Cache-Control"]


def test_checkout_and_tracking_pages_are_never_stored(client, urls):
    product = Product.objects.browsable().filter(is_public=True, stockrecords__num_in_stock__gt=0).first()
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, HTTP_REFERER=urls["home"])
    for path in ("/shop/checkout/", "/shop/tra-cuu-don-hang/"):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"], path
        assert "ETag" not in response


def test_views_that_know_better_keep_their_own_headers(client, urls):
    assert client.get("/robots.txt")["Cache-Control"] == "max-age=3600, public"
    assert client.get(urls["feed_json"])["Cache-Control"] == "public, max-age=300"
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
    resolver = client.get(urls["resolver"])
    assert resolver.status_code == 307
    assert resolver["Cache-Control"] == "no-cache"  # a scan always asks: the lot may be recalled since


def test_search_results_are_compressed_and_not_public(client, urls):
    response = client.get(urls["search"], HTTP_ACCEPT_ENCODING="br")
    assert response["Content-Encoding"] == "br"
    assert response.has_header("Cache-Control")
