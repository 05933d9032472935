"""The oEmbed 1.0 provider against the spec (https://oembed.com/): types, sizes, maxwidth, errors, discovery."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from oscar.core.loading import get_model

from catalog.models import Cooperative
from cms.models import CollectionPage, CooperativePage, TradeFairPage
from cms.oembed import MIN_WIDTH

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
BASE = "http://testserver"
# Fields every "rich" response must carry (spec §2.3.4 and §2.3.4.4).
REQUIRED = {"type", "version", "html", "width", "height"}


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    """Expected URLs are built in Vietnamese, whatever language an earlier request left active."""


@pytest.fixture
def product():
    return Product.objects.browsable().filter(images__isnull=False).order_by("pk").first()


def _oembed(client, url, **params):
    return client.get("/oembed", {"url": url, **params})


def _json(response):
    assert response.status_code == 200, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert REQUIRED <= data.keys()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    thumbs = {"thumbnail_url", "thumbnail_width", "thumbnail_height"} & data.keys()
    assert thumbs in (set(), {"thumbnail_url", "thumbnail_width", "thumbnail_height"}), "all three or none"
    return data


def _iframe_src(data):
    match = re.fullmatch(
        r'<iframe src="([^"]+)" width="(\d+)" height="(\d+)" title="[^"]*"[^>]*></iframe>', data["html"]
    )
    assert match, data["html"]
    assert (int(match.group(2)), int(match.group(3))) == (data["width"], data["height"])
    return unescape(match.group(1))


def test_product_page(client, product):
    data = _json(_oembed(client, BASE + product.get_absolute_url(), format="json"))
    assert data["title"] == product.title
    assert data["provider_name"] and data["provider_url"] == BASE + "/"
    assert data["cache_age"] > 0
    assert _iframe_src(data) == f"{BASE}/embed/product/{product.pk}/"
    assert data["thumbnail_url"].startswith(BASE) and data["thumbnail_width"] <= 320
    assert data["author_name"] == product.cooperative.name
    assert client.get(_iframe_src(data).removeprefix(BASE)).status_code == 200


def test_format_defaults_to_json_and_english_urls_embed_english(client, product):
    data = _json(_oembed(client, f"{BASE}/en{product.get_absolute_url()}"))
    assert _iframe_src(data) == f"{BASE}/en/embed/product/{product.pk}/"
    assert data["provider_url"] == BASE + "/en/"
    if product.title_en:
        assert data["title"] == product.title_en


def test_collection_trade_fair_and_cooperative_pages(client):
    collection = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    fair = TradeFairPage.objects.get(slug="hoi-cho-ocop-dong-nai")
    cooperative = Cooperative.objects.order_by("pk").first()
    coop_page = CooperativePage.objects.filter(partner=cooperative.partner, locale__language_code="vi").first()
    cases = [
        (collection.full_url, f"/embed/page/{collection.pk}/", collection.title),
        (fair.full_url, f"/embed/page/{fair.pk}/", fair.title),
        (BASE + cooperative.get_absolute_url(), f"/embed/cooperative/{cooperative.slug}/", cooperative.name),
    ]
    if coop_page is not None:
        cases.append((coop_page.full_url, f"/embed/cooperative/{cooperative.slug}/", cooperative.name))
    for url, embed_path, title in cases:
        url = BASE + urlsplit(url).path  # full_url uses the configured base; the test client is testserver
        data = _json(_oembed(client, url))
        assert _iframe_src(data) == BASE + embed_path, url
        assert data["title"] == title


def test_english_collection_page(client):
    collection = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    english = collection.get_translations().get(locale__language_code="en").specific
    data = _json(_oembed(client, BASE + urlsplit(english.full_url).path))
    assert data["title"] == english.title
    assert _iframe_src(data) == f"{BASE}/en/embed/page/{english.pk}/"


@pytest.mark.parametrize("maxwidth", [MIN_WIDTH, 300, 359, 400, 640, 2000])
def test_width_never_exceeds_maxwidth(client, product, maxwidth):
    collection = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    for url in (BASE + product.get_absolute_url(), BASE + urlsplit(collection.full_url).path):
        data = _json(_oembed(client, url, maxwidth=maxwidth))
        assert MIN_WIDTH <= data["width"] <= maxwidth
        if "thumbnail_width" in data:
            assert data["thumbnail_width"] <= maxwidth


@pytest.mark.parametrize("maxheight", [100, 250, 5000])
def test_height_never_exceeds_maxheight(client, product, maxheight):
    collection = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    for url in (BASE + product.get_absolute_url(), BASE + urlsplit(collection.full_url).path):
        data = _json(_oembed(client, url, maxheight=maxheight, maxwidth=600))
        assert 0 < data["height"] <= maxheight and data["width"] <= 600
        if "thumbnail_height" in data:
            assert data["thumbnail_height"] <= maxheight


def test_list_is_taller_than_one_card(client, product):
    collection = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    one = _json(_oembed(client, BASE + product.get_absolute_url()))
    many = _json(_oembed(client, BASE + urlsplit(collection.full_url).path))
    assert many["height"] > one["height"]


@pytest.mark.parametrize("fmt", ["xml", "yaml", "JSON"])
def test_unsupported_format_is_501(client, product, fmt):
    assert _oembed(client, BASE + product.get_absolute_url(), format=fmt).status_code == 501


def test_unknown_urls_are_404(client, product):
    hidden = Product.objects.create(title="Ẩn", slug="an", is_public=False, product_class=product.product_class)
    for url in [
        f"{BASE}/shop/catalogue/khong-co_999999/",
        f"{BASE}{hidden.get_absolute_url()}",
        f"{BASE}/shop/basket/",
        f"{BASE}/",  # the home page is not embeddable
        f"{BASE}/tin-tuc/",
        f"https://elsewhere.example{product.get_absolute_url()}",
        f"ftp://testserver{product.get_absolute_url()}",
        "not a url",
    ]:
        assert _oembed(client, url).status_code == 404, url


def test_bad_requests(client, product):
    assert client.get("/oembed").status_code == 400
    assert _oembed(client, BASE + product.get_absolute_url(), maxwidth="wide").status_code == 400
    assert _oembed(client, BASE + product.get_absolute_url(), maxheight="0").status_code == 400
    # Narrower than any card can be drawn: there is no representation that fits.
    assert _oembed(client, BASE + product.get_absolute_url(), maxwidth=MIN_WIDTH - 1).status_code == 404


def test_cross_origin_json_and_no_cookies(client, product):
    response = _oembed(client, BASE + product.get_absolute_url())
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    assert client.post("/oembed", {"url": BASE + product.get_absolute_url()}).status_code == 405


def _discovery(html):
    links = re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="([^"]*)">', html)
    assert len(links) == 1, links
    href, title = links[0]
    return unescape(href), unescape(title)


def test_discovery_link_on_product_page_finds_itself(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    href, title = _discovery(html)
    assert title == product.title
    parts = urlsplit(href)
    assert parts.path == "/oembed"
    assert parse_qs(parts.query) == {"url": [BASE + product.get_absolute_url()], "format": ["json"]}
    assert _json(client.get(f"{parts.path}?{parts.query}"))["title"] == product.title


def test_discovery_link_on_cooperative_trace_page(client):
    cooperative = Cooperative.objects.order_by("pk").first()
    href, title = _discovery(client.get(cooperative.get_absolute_url()).content.decode())
    assert title == cooperative.name
    parts = urlsplit(href)
    assert _json(client.get(f"{parts.path}?{parts.query}"))["title"] == cooperative.name
