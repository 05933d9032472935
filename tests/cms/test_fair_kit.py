"""A trade fair's code and kit: code and organiser origins validated, A4 poster and booth price list
with QR codes that decode to the fair's short links, the organiser's kit page, oEmbed discovery."""

import re
from html import unescape

import pytest
import zxingcpp
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, streamfield

from catalog.models import Cooperative
from cms.models import CollectionPage, CooperativePage, NewsIndexPage, TradeFairPage
from tests.catalog.test_qr import rasterise_segno_svg
from tests.factories import create_fair, create_product

pytestmark = pytest.mark.django_db
SITE = settings.WAGTAILADMIN_BASE_URL.rstrip("/")


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    pass


@pytest.fixture
def demo_fair():
    return TradeFairPage.objects.get(code="DEMO-OCOPDN", locale__language_code="vi")


def qr_codes(html):
    """The text of every inline QR code on the page, decoded by zxing-cpp."""
    decoded = []
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
        results = zxingcpp.read_barcodes(rasterise_segno_svg(svg.encode()))
        assert len(results) == 1
        decoded.append(results[0].text)
    return decoded


# THE CODE AND THE ORGANISERS' ORIGINS
# ------------------------------------------------------------------------------
def fair_form_data(**fields):
    data = {
        "title": "Hội chợ Thành phố Hồ Chí Minh",
        "slug": "hoi-cho-tp-hcm",
        "start_date": "2027-03-01",
        "end_date": "2027-03-05",
        "venue": "SECC",
        "city": "TP. Hồ Chí Minh",
        "booth": "B7",
        "code": "hcm2027",
        "frame_origins": "",
        "intro": "",
        "featured_products": streamfield([]),
        "body": streamfield([]),
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
    }
    data.update(fields)
    return nested_form_data(data)


def create_through_admin(admin_client, publish=False, **fields):
    index = NewsIndexPage.objects.get(locale__language_code="vi")
    data = fair_form_data(**fields)
    if publish:
        data["action-publish"] = "action-publish"
    return admin_client.post(f"/admin/pages/add/cms/tradefairpage/{index.pk}/", data)


def test_staff_create_a_fair_with_a_code_stored_in_capitals(admin_client):
    response = create_through_admin(admin_client, code=" hcm2027 ", frame_origins="https://HoiCho.example.vn/\n\n")
    assert response.status_code == 302, response.context["form"].errors
    fair = TradeFairPage.objects.get(slug="hoi-cho-tp-hcm")
    assert fair.code == "HCM2027" and fair.frame_origins == "https://hoicho.example.vn"


@pytest.mark.parametrize("code", ["HCM 2027", "HỘI-CHỢ", "-HCM", "A" * 21, ""])
def test_a_bad_code_gets_a_clear_message_and_creates_nothing(admin_client, code):
    # (A draft may wait for its code; a published fair may not.)
    response = create_through_admin(admin_client, publish=True, code=code)
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not TradeFairPage.objects.filter(slug="hoi-cho-tp-hcm").exists()


def test_a_code_used_by_another_fair_is_refused_but_its_translation_shares_it(admin_client, demo_fair):
    response = create_through_admin(admin_client, code="demo-ocopdn")
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Mã này đã dùng cho hội chợ khác."]
    english = demo_fair.get_translation(Locale.objects.get(language_code="en"))
    assert english.code == demo_fair.code
    english.full_clean()  # the same fair in English: no error


@pytest.mark.parametrize(
    "origins", ["hoicho.example.vn", "https://hoicho.example.vn/trang", "*", "javascript:alert(1)", "https://a b"]
)
def test_bad_organiser_origins_are_refused(admin_client, origins):
    response = create_through_admin(admin_client, frame_origins=origins)
    assert response.status_code == 200
    assert "Không phải địa chỉ trang web hợp lệ" in str(response.context["form"].errors["frame_origins"])


def test_origins_are_one_per_line_and_normalised():
    from cms.models import parse_frame_origins, validate_frame_origins

    text = "https://a.example\r\nhttp://127.0.0.1:8080/\nhttps://A.example\n"
    assert parse_frame_origins(text) == ["https://a.example", "http://127.0.0.1:8080"]
    validate_frame_origins(text)
    with pytest.raises(ValidationError):
        validate_frame_origins("https://a.example\nftp://b.example")


def test_the_edit_page_links_to_the_kit_and_the_report(admin_client, demo_fair):
    html = admin_client.get(f"/admin/pages/{demo_fair.pk}/edit/").content.decode()
    assert f"{SITE}/h/DEMO-OCOPDN" in html
    for sub in ("nhung/", "ap-phich/", "bang-gia/"):
        assert f'href="{demo_fair.url}{sub}"' in html
    assert f'href="/admin/hoi-cho/{demo_fair.pk}/"' in html


# POSTER AND PRICE LIST
# ------------------------------------------------------------------------------
def test_the_poster_has_the_fair_and_a_big_qr_code_to_its_short_link(client, demo_fair):
    response = client.get(f"{demo_fair.url}ap-phich/")
    assert response.status_code == 200
    html = response.content.decode()
    assert qr_codes(html) == [f"{SITE}/h/DEMO-OCOPDN"]
    assert demo_fair.title in html and demo_fair.booth in html and demo_fair.venue in html
    assert demo_fair.start_date.strftime("%d/%m/%Y") in html and demo_fair.end_date.strftime("%d/%m/%Y") in html
    assert "Mã hội chợ: DEMO-OCOPDN" in html
    for cooperative in Cooperative.objects.filter(
        products__pk__in=[b["value"] for b in demo_fair.featured_products.raw_data]
    ).distinct():
        assert cooperative.get_name() in html
    assert "fairs/kit.css" in html and '<meta name="robots" content="noindex">' in html


def test_the_price_list_has_each_product_with_price_stars_certificates_and_its_qr(client, demo_fair):
    from cms import embeds

    html = client.get(f"{demo_fair.url}bang-gia/").content.decode()
    cards = embeds.build_cards(embeds.page_product_ids(demo_fair), limit=None)
    assert len(cards) == 3
    assert qr_codes(html) == [f"{SITE}/h/DEMO-OCOPDN/{card.product.pk}" for card in cards]
    for card in cards:
        assert card.product.get_title() in html
        assert f"{int(card.price):,}".replace(",", ".") + "\xa0₫" in html
    assert any(card.ocop for card in cards) and "OCOP" in html and "★" in html
    assert "cert-status--" in html


def test_the_price_list_of_a_fair_without_products_says_what_to_do(client):
    fair = create_fair("TRONG")
    html = client.get(f"{fair.url}bang-gia/").content.decode()
    assert "Hội chợ chưa có sản phẩm giới thiệu." in html and "<svg" not in html


def test_print_css_is_a4_and_hides_the_site():
    css = open(finders.find("fairs/kit.css")).read()
    assert "@page { size: A4" in css
    assert ".site-header" in css.split("@media print", 1)[1] and "break-inside: avoid" in css


def test_the_price_list_follows_price_changes(client):
    product = create_product(title="Điều giá mới", price=150000)
    fair = create_fair("GIAMOI", products=[product])
    assert "150.000\xa0₫" in client.get(f"{fair.url}bang-gia/").content.decode()
    product.stockrecords.update(price=165000)
    assert "165.000\xa0₫" in client.get(f"{fair.url}bang-gia/").content.decode()


# THE ORGANISER'S KIT
# ------------------------------------------------------------------------------
def test_the_kit_has_the_snippet_a_live_preview_and_the_feeds(client, demo_fair):
    html = client.get(f"{demo_fair.url}nhung/").content.decode()
    snippets = [unescape(s) for s in re.findall(r"<textarea [^>]*>(.*?)</textarea>", html, re.S)]
    assert snippets[0] == (
        f'<div class="htx-embed" data-page="{demo_fair.pk}" data-lang="vi" data-theme="light"></div>\n'
        '<script src="http://testserver/static/embed/embed.js" async></script>'
    )
    assert 'data-fair="DEMO-OCOPDN"' in snippets[1]
    # The preview is the same snippet, live: the placeholder and the shop's own embed.js.
    assert f'<div class="htx-embed" data-page="{demo_fair.pk}"' in html
    assert '<script src="/static/embed/embed.js" async></script>' in html
    assert (
        'href="/feeds/products.json?fair=DEMO-OCOPDN"' in html and 'href="/feeds/products.csv?fair=DEMO-OCOPDN"' in html
    )
    assert client.get("/feeds/products.csv?fair=DEMO-OCOPDN").status_code == 200
    assert f"{SITE}/h/DEMO-OCOPDN" in html
    assert f'href="{demo_fair.url}ap-phich/"' in html and f'href="{demo_fair.url}bang-gia/"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html), "no inline script"


def test_kit_preview_links_open_the_embeds(client, demo_fair):
    html = client.get(f"{demo_fair.url}nhung/").content.decode()
    previews = [unescape(u) for u in re.findall(r'<a href="(/embed/[^"]+)" target="_blank" rel="noopener">', html)]
    assert f"/embed/page/{demo_fair.pk}/" in previews
    assert any("hoi_cho=DEMO-OCOPDN" in url for url in previews)
    for url in previews:
        assert client.get(url).status_code == 200, url


# OEMBED DISCOVERY
# ------------------------------------------------------------------------------
def test_collection_trade_fair_and_cooperative_pages_advertise_oembed(client, demo_fair):
    pages = [
        CollectionPage.objects.get(slug="qua-tet", locale__language_code="vi"),
        demo_fair,
        CooperativePage.objects.filter(locale__language_code="vi").first(),
    ]
    for page in pages:
        html = client.get(page.url).content.decode()
        links = re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
        assert len(links) == 1, page.url
        response = client.get(unescape(links[0]))
        assert response.status_code == 200 and response.json()["type"] == "rich", page.url
