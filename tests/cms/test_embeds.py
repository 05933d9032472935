"""Embed iframe pages: what a card shows, both languages and themes, no cookies, size budget, framing."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Locale

from catalog.models import Certification, Cooperative, OcopRating
from cms.embeds import EMBED_BUDGET
from cms.models import CollectionPage, TradeFairPage
from tests.factories import create_product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    """Expected URLs are built in Vietnamese, whatever language an earlier request left active."""


@pytest.fixture
def rated():
    """A public demo product with an OCOP rating in force."""
    today = timezone.localdate()
    rating = OcopRating.objects.filter(product__is_public=True, expires_on__gt=today).order_by("pk").first()
    assert rating is not None, "the demo data has OCOP-rated products"
    return rating.product


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_no_cookies(response):
    assert not response.cookies, list(response.cookies)
    assert "Set-Cookie" not in response


# WHAT A CARD SHOWS
# ------------------------------------------------------------------------------
def test_product_card_shows_name_price_stars_certificates_stock_and_buy_button(client, rated):
    html = _html(client.get(f"/embed/product/{rated.pk}/"))
    assert '<html lang="vi" class="theme-light">' in html
    assert rated.title in html
    price = rated.stockrecords.order_by("price").first().price
    assert f"{int(price):,}".replace(",", ".") + "\xa0₫" in html
    assert "★" in html and "OCOP" in html
    assert "Còn hàng" in html
    button = re.search(r'<a class="e-btn" href="([^"]+)" target="_blank" rel="noopener">Mua', html)
    assert button and button.group(1) == rated.get_absolute_url()


def test_certificate_badges_show_live_status(client, rated):
    today = timezone.localdate()
    cert = Certification.objects.create(
        kind=Certification.Kind.VIETGAP,
        number="DEMO-EMBED-1",
        certifying_body="Tổ chức mẫu",
        cooperative=rated.cooperative,
        valid_from=today - timedelta(days=100),
        expires_on=today + timedelta(days=300),
        suspended_from=today - timedelta(days=1),
    )
    rated.certifications.add(cert)
    html = _html(client.get(f"/embed/product/{rated.pk}/"))
    assert '<span class="cert-status cert-status--suspended">Bị đình chỉ</span>' in html
    Certification.objects.filter(pk=cert.pk).update(suspended_until=today - timedelta(days=1))
    html = _html(client.get(f"/embed/product/{rated.pk}/"))
    assert "cert-status--suspended" not in html and "cert-status--valid" in html


def test_out_of_stock_product_says_so_and_offers_view(client):
    product = create_product(title="Hạt điều hết hàng", num_in_stock=0)
    html = _html(client.get(f"/embed/product/{product.pk}/"))
    assert "Hết hàng" in html and "e-stock--out_of_stock" in html
    assert re.search(r'class="e-btn"[^>]*>Xem', html)


def test_stock_follows_allocation(client):
    product = create_product(title="Hạt điều sắp hết", num_in_stock=1)
    assert "Còn hàng" in _html(client.get(f"/embed/product/{product.pk}/"))
    StockRecord.objects.get(product=product).allocate(1)
    assert "Hết hàng" in _html(client.get(f"/embed/product/{product.pk}/"))


def test_english_embed_under_en_prefix(client, rated):
    html = _html(client.get(f"/en/embed/product/{rated.pk}/"))
    assert '<html lang="en"' in html
    if rated.title_en:
        assert rated.title_en in html
    assert f'href="/en/shop/catalogue/{rated.slug}_{rated.pk}/"' in html
    assert "₫" in html


@pytest.mark.parametrize(("query", "expected"), [("", "light"), ("?theme=dark", "dark"), ("?theme=<x>", "light")])
def test_themes(client, rated, query, expected):
    assert f'class="theme-{expected}"' in _html(client.get(f"/embed/product/{rated.pk}/{query}"))


def test_unknown_or_hidden_product_is_404(client):
    product = create_product(title="Hạt điều ẩn")
    Product.objects.filter(pk=product.pk).update(is_public=False)
    assert client.get(f"/embed/product/{product.pk}/").status_code == 404
    assert client.get("/embed/product/999999/").status_code == 404


def test_post_is_refused(client, rated):
    assert client.post(f"/embed/product/{rated.pk}/").status_code == 405


# COLLECTIONS, TRADE FAIRS, COOPERATIVES
# ------------------------------------------------------------------------------
def _card_count(html):
    return html.count('<li class="e-card">')


def test_curated_collection_lists_its_public_products_in_order(client):
    page = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    ids = [b["value"] for b in page.curated_products.raw_data]
    html = _html(client.get(f"/embed/page/{page.pk}/"))
    titles = list(Product.objects.filter(pk__in=ids).values_list("pk", "title"))
    by_pk = dict(titles)
    positions = [html.index(by_pk[pk]) for pk in ids]
    assert positions == sorted(positions)
    assert _card_count(html) == len(ids)
    assert page.title in html and 'target="_blank" rel="noopener"' in html


def test_rule_collection_and_english_translation(client):
    page = CollectionPage.objects.get(slug="dieu-nhan", locale__language_code="vi")
    html = _html(client.get(f"/embed/page/{page.pk}/"))
    assert _card_count(html) >= 1
    english = page.get_translation_or_none(Locale.objects.get(language_code="en"))
    assert english is not None and english.title != page.title
    html = _html(client.get(f"/en/embed/page/{page.pk}/"))
    assert english.title in html and f'href="{english.url}"' in html


def test_trade_fair_embed(client):
    fair = TradeFairPage.objects.get(slug="hoi-cho-ocop-dong-nai")
    html = _html(client.get(f"/embed/page/{fair.pk}/"))
    assert fair.title in html
    assert _card_count(html) == len(fair.featured_products.raw_data)


def test_other_page_types_are_not_embeddable(client):
    from cms.models import HomePage

    home = HomePage.objects.get(locale__language_code="vi")
    assert client.get(f"/embed/page/{home.pk}/").status_code == 404


def test_cooperative_embed_lists_its_products(client):
    cooperative = Cooperative.objects.order_by("pk").first()
    html = _html(client.get(f"/embed/cooperative/{cooperative.slug}/"))
    public = Product.objects.browsable().filter(cooperative=cooperative).count()
    assert _card_count(html) == min(public, 24) and public > 0
    assert cooperative.name in html


def test_list_embed_queries_do_not_grow_with_products(client):
    page = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    extra = [create_product(title=f"Hạt điều nhúng {i}", price=100000 + i).pk for i in range(12)]

    def queries(ids):
        page.curated_products = [{"type": "product", "value": pk} for pk in ids]
        page.save_revision().publish()
        url = f"/embed/page/{page.pk}/"
        client.get(url)  # warm thumbnails
        with CaptureQueriesContext(connection) as ctx:
            html = _html(client.get(url))
        assert _card_count(html) == len(ids)
        return len(ctx)

    assert queries(extra[:2]) == queries(extra)


# NO COOKIES, SIZE BUDGET
# ------------------------------------------------------------------------------
def _embed_urls():
    page = CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi")
    fair = TradeFairPage.objects.get(slug="hoi-cho-ocop-dong-nai")
    product = Product.objects.browsable().order_by("pk").first()
    cooperative = Cooperative.objects.order_by("pk").first()
    return [
        f"/embed/product/{product.pk}/",
        f"/en/embed/product/{product.pk}/?theme=dark",
        f"/embed/page/{page.pk}/",
        f"/en/embed/page/{fair.pk}/",
        f"/embed/cooperative/{cooperative.slug}/",
        # A fair's product card: its links carry the fair's code and it asks for the view beacon.
        f"/embed/product/{product.pk}/?hoi_cho={fair.code}",
    ]


@pytest.mark.parametrize("cached", [False, True])
def test_embeds_set_no_cookies(client, settings, cached):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = cached
    cache.clear()
    for url in _embed_urls():
        for _ in range(2):  # cold, then (with the page cache on) replayed from the cache
            _assert_no_cookies(client.get(url))
    cache.clear()


def test_size_budget(client):
    """Each embed page's HTML, its CSS and its one script stay within EMBED_BUDGET (uncompressed)."""
    for url in _embed_urls():
        html = _html(client.get(url))
        assert len(html.encode()) < EMBED_BUDGET["html_bytes"], url
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert len(scripts) == 1 and 'src="/static/embed/frame.js"' in scripts[0], "only the resize messenger"
        assert "<script>" not in html and " style=" not in html
    assert len(open(finders.find("embed/embed.css"), "rb").read()) < EMBED_BUDGET["css_bytes"]
    assert len(open(finders.find("embed/frame.js"), "rb").read()) < EMBED_BUDGET["js_bytes"]


def test_css_is_responsive_from_280px_and_has_both_themes():
    css = open(finders.find("embed/embed.css")).read()
    assert ".theme-dark{" in css
    assert "@media (max-width:360px)" in css  # the single card stacks its picture on narrow frames
    assert "minmax(220px,1fr)" in css  # 280 px minus padding still fits one column


# FRAMING
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("cached", [False, True])
def test_embed_routes_may_be_framed_by_anyone(client, settings, cached):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = cached
    cache.clear()
    for url in _embed_urls():
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert "X-Frame-Options" not in response, url
            assert response["Content-Security-Policy"] == "frame-ancestors *", url
    cache.clear()


@pytest.mark.parametrize("cached", [False, True])
def test_every_other_page_forbids_framing(client, settings, cached, rated):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = cached
    cache.clear()
    urls = ["/", "/en/", "/qua-tet/", rated.get_absolute_url(), "/shop/catalogue/", "/truy-xuat/", "/embedded/"]
    for url in urls:
        for _ in range(2):
            response = client.get(url)
            assert response["X-Frame-Options"] == "DENY", url
            assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
    cache.clear()


@pytest.fixture
def allowlisted_fair():
    from tests.factories import create_fair

    product = Product.objects.browsable().order_by("pk").first()
    return create_fair("HCM2026", products=[product], frame_origins="https://hoicho.example.vn\nhttp://127.0.0.1:8080")


ALLOWLIST = "frame-ancestors 'self' https://hoicho.example.vn http://127.0.0.1:8080"


@pytest.mark.parametrize("cached", [False, True])
def test_a_fairs_embeds_may_be_framed_only_by_its_organisers(client, settings, cached, allowlisted_fair):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = cached
    cache.clear()
    product = Product.objects.browsable().order_by("pk").first()
    cooperative = Cooperative.objects.order_by("pk").first()
    own = [
        f"/embed/page/{allowlisted_fair.pk}/",
        f"/embed/page/{allowlisted_fair.pk}/?theme=dark&hoi_cho=DEMO-OCOPDN",  # a fair's page embed is its own
        f"/en/embed/product/{product.pk}/?hoi_cho=hcm2026",
        f"/embed/cooperative/{cooperative.slug}/?hoi_cho=HCM2026",
    ]
    others = [
        f"/embed/product/{product.pk}/",
        f"/embed/product/{product.pk}/?hoi_cho=DEMO-OCOPDN",  # another fair without a list
        f"/embed/product/{product.pk}/?hoi_cho=KHONGCO",
        f"/embed/page/{CollectionPage.objects.get(slug='qua-tet', locale__language_code='vi').pk}/",
    ]
    for _ in range(2):  # cold, then (with the page cache on) replayed
        for url in own:
            response = client.get(url)
            assert response.status_code == 200 and "X-Frame-Options" not in response, url
            assert response["Content-Security-Policy"] == ALLOWLIST, url
        for url in others:
            assert client.get(url)["Content-Security-Policy"] == "frame-ancestors *", url
    cache.clear()


def test_the_allowlist_follows_the_published_page(client, settings, allowlisted_fair):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    url = f"/embed/page/{allowlisted_fair.pk}/"
    assert client.get(url)["Content-Security-Policy"] == ALLOWLIST
    allowlisted_fair.frame_origins = ""
    allowlisted_fair.save_revision().publish()
    assert client.get(url)["Content-Security-Policy"] == "frame-ancestors *"
    cache.clear()


def test_framing_policy_helpers():
    from cms.framing import is_embed_path, with_frame_ancestors

    assert is_embed_path("/embed/product/1/") and is_embed_path("/en/embed/page/2/")
    assert not is_embed_path("/embedded/") and not is_embed_path("/shop/embed/") and not is_embed_path("/fr/embed/")
    assert with_frame_ancestors("", "*") == "frame-ancestors *"
    assert (
        with_frame_ancestors("default-src 'self'; frame-ancestors 'none'", "https://a.example")
        == "default-src 'self'; frame-ancestors https://a.example"
    )
