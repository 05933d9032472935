"""Two languages and SEO: hreflang, canonical, Open Graph, breadcrumbs, sitemap, robots."""

import re
import xml.etree.ElementTree as ET

import pytest
from oscar.core.loading import get_model
from wagtail.models import Locale, Page

from cms.models import CooperativePage, StandardPage

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _hreflang(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_wagtail_page_hreflang_follows_its_translation(client):
    vi = CooperativePage.objects.get(slug="htx-bu-gia-map")
    en = vi.get_translation(Locale.objects.get(language_code="en"))
    assert en.title == "Bù Gia Mập Agricultural Cooperative"
    for url in (vi.url, en.url):
        links = _hreflang(client.get(url).content.decode())
        assert links == {
            "vi": "http://testserver/hop-tac-xa/htx-bu-gia-map/",
            "en": "http://testserver/en/cooperatives/bu-gia-map-cooperative/",
            "x-default": "http://testserver/hop-tac-xa/htx-bu-gia-map/",
        }


def test_translation_is_synced_by_wagtail_localize():
    from wagtail_localize.models import Translation

    vi = StandardPage.objects.get(slug="gioi-thieu")
    translation = Translation.objects.get(source__object_id=vi.translation_key, target_locale__language_code="en")
    assert translation.get_target_instance().title == "About us"
    # The source changes; the editor's "sync" updates the source and keeps the English translations.
    vi.intro = "Giới thiệu mới."
    vi.save_revision().publish()
    translation.source.update_from_db()
    translation.save_target(publish=True)
    en = vi.get_translation(Locale.objects.get(language_code="en"))
    en.refresh_from_db()
    assert en.title == "About us"
    assert en.intro == "Giới thiệu mới."  # untranslated new text falls back to the source until translated


def test_oscar_page_hreflang_swaps_the_language_prefix(client):
    from django.utils import translation

    product = Product.objects.get(upc="DEMO-BGM-RM-500")
    with translation.override("vi"):
        url = product.get_absolute_url()
    html = client.get(url).content.decode()
    links = _hreflang(html)
    assert links["vi"] == f"http://testserver{url}"
    assert links["en"] == f"http://testserver/en{url}"
    assert links["x-default"] == links["vi"]
    en_html = client.get(f"/en{url}").content.decode()
    assert "Bù Gia Mập roasted salted cashews 500 g" in en_html


def test_untranslated_page_has_no_false_alternate_and_switcher_goes_home(client):
    home = StandardPage.objects.get(slug="gioi-thieu")
    page = StandardPage(title="Chỉ tiếng Việt", slug="chi-tieng-viet", locale=home.locale)
    home.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert set(_hreflang(html)) == {"vi", "x-default"}
    assert 'href="/en/" hreflang="en"' in html


def test_meta_canonical_open_graph_and_twitter(client):
    html = client.get("/en/cooperatives/bu-gia-map-cooperative/?utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/en/cooperatives/bu-gia-map-cooperative/">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta property="og:title" content="Bù Gia Mập Agricultural Cooperative">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/images/[^"]+\.jpg">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="description" content="A cooperative of S’tiêng' in html or "S&#x27;" in html


def test_breadcrumbs_with_schema_org(client):
    html = client.get("/tin-tuc/mua-thu-hoach-2026/").content.decode()
    assert 'itemtype="https://schema.org/BreadcrumbList"' in html
    assert re.search(r'<a itemprop="item" href="/tin-tuc/"><span itemprop="name">Tin tức</span></a>', html)
    assert '<meta itemprop="position" content="3">' in html


def test_sitemap_lists_pages_and_products_in_both_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locs = {u.find("s:loc", NS).text for u in root.findall("s:url", NS)}
    for page in Page.objects.live().filter(depth__gte=2):
        assert f"http://testserver{page.url}" in locs, page.url
    assert "http://testserver/hop-tac-xa/htx-bu-gia-map/" in locs
    assert "http://testserver/en/cooperatives/bu-gia-map-cooperative/" in locs
    for product in Product.objects.browsable():
        assert f"http://testserver{product.get_absolute_url()}" in locs
        assert f"http://testserver/en{product.get_absolute_url()}" in locs
    Cooperative = get_model("catalogue", "Cooperative")
    for cooperative in Cooperative.objects.all():
        assert f"http://testserver/en{cooperative.get_absolute_url()}" in locs
    alternates = root.findall("s:url/x:link", NS)
    assert any(a.get("hreflang") == "x-default" for a in alternates)


def test_sitemap_leaves_out_unpublished_pages_and_hidden_products(client):
    page = StandardPage.objects.get(slug="dieu-khoan")
    page.unpublish()
    product = Product.objects.get(upc="DEMO-BGM-RM-500")
    product.is_public = False
    product.save()
    body = client.get("/sitemap.xml").content.decode()
    assert "/dieu-khoan/" not in body
    assert product.get_absolute_url() not in body


def test_robots_txt(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /shop/checkout/" in body and "Disallow: /en/shop/basket/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_menu_and_footer_come_from_settings(client):
    from cms.models import MenuItem

    html = client.get("/en/").content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/en/cooperatives/"' in nav and 'href="/en/news/"' in nav
    item = MenuItem.objects.get(link_page__slug="tin-tuc")
    item.label_en = "Stories"
    item.save()
    html = client.get("/en/").content.decode()
    assert ">Stories</a>" in html
    footer = html.split('class="site-footer"')[1]
    assert 'href="/en/privacy/"' in footer and "formerly Bình Phước" in footer


def test_images_have_modern_formats_sizes_and_dimensions(client):
    response = client.get("/hop-tac-xa/htx-bu-gia-map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<picture>" in html, html[html.find("<main") : html.find("<main") + 3000]
    assert 'type="image/avif"' in html and re.search(r'<img [^>]*src="[^"]+\.webp"', html)  # AVIF, WebP fallback
    imgs = re.findall(r"<img [^>]*>", html.split('class="gallery"')[1])
    assert imgs and all('width="' in i and 'height="' in i and 'loading="lazy"' in i and "sizes=" in i for i in imgs)
    hero = html.split('class="cooperative__hero"')[1].split("</div>")[0]
    assert 'loading="eager"' in hero and 'fetchpriority="high"' in hero
