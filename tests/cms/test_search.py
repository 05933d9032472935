"""One search over pages and products: accents, case and đ/d do not matter, on SQLite and PostgreSQL."""

import pytest
from oscar.core.loading import get_model

from cms import search
from cms.models import ArticlePage, SearchEntry

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Hạt điều rang muối", "hat dieu rang muoi"),
        ("HẠT ĐIỀU", "hat dieu"),
        ("Đồng Nai – hữu cơ!", "dong nai huu co"),
        ("  nhiều   khoảng  trắng ", "nhieu khoang trang"),
    ],
)
def test_fold(text, folded):
    assert search.fold(text) == folded


@pytest.mark.parametrize(
    "query", ["hat dieu rang muoi", "HAT DIEU RANG MUOI", "hạt điều rang muối", "Hat Điêu rang muôi"]
)
def test_diacritic_free_query_finds_the_accented_product_and_page(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    titles = [r["product"].title for r in results if r["kind"] == "product"]
    assert "Hạt điều rang muối Bù Gia Mập 500 g" in titles
    pages = [r["page"].title for r in results if r["kind"] == "page"]
    assert "Hội chợ sản phẩm OCOP Đồng Nai (sự kiện mẫu)" in pages
    assert all(r["page"].locale.language_code == "vi" for r in results if r["kind"] == "page")


def test_d_and_dj_are_the_same_letter(client):
    results = client.get("/search/", {"q": "dong nai huu co"}).context["results"]
    assert any(r["kind"] == "product" and "Đồng Nai" in r["product"].title for r in results)


def test_english_search_finds_english_pages_and_products(client):
    results = client.get("/en/search/", {"q": "roasted salted"}).context["results"]
    assert any(r["kind"] == "product" for r in results)
    html = client.get("/en/search/", {"q": "ocop fair"}).content.decode()
    assert "Đồng Nai OCOP products fair (sample event)" in html


def test_every_word_must_match(client):
    assert client.get("/search/", {"q": "rang muoi xyzzy"}).context["results"] == []


def test_new_product_and_published_page_are_found_at_once(client):
    from tests.factories import create_product

    create_product(title="Kẹo hạt điều Đắk Ơ")
    assert client.get("/search/", {"q": "keo hat dieu dak o"}).context["paginator"].count == 1
    article = ArticlePage.objects.get(slug="mua-thu-hoach-2026")
    article.title = "Mùa thu hoạch điều bắt đầu ở Bù Đốp"
    article.save_revision().publish()
    assert client.get("/search/", {"q": "bu dop"}).context["paginator"].count == 1
    article.unpublish()
    assert not SearchEntry.objects.filter(kind="page", object_id=article.pk).exists()


def test_hidden_product_is_not_found(client):
    product = Product.objects.get(upc="DEMO-BGM-RM-500")
    product.is_public = False
    product.save()
    results = client.get("/search/", {"q": "hat dieu rang muoi bu gia map 500"}).context["results"]
    assert all(r.get("product") != product for r in results)


def test_search_box_and_oscar_search_lead_to_our_search(client):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html
    response = client.get("/shop/search/?q=dieu")
    assert response.status_code == 302 and response["Location"] == "/search/?q=dieu"


def test_search_makes_the_same_queries_for_many_results(client, django_assert_max_num_queries):
    client.get("/search/", {"q": "dieu"})  # the first visit makes the social image's rendition
    with django_assert_max_num_queries(20):
        client.get("/search/", {"q": "dieu"})
