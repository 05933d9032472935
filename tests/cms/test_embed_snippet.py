"""The "Embed this product" code generator on product pages: a snippet to copy and a preview, no inline script."""

import re
from html import unescape

import pytest
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    """Expected URLs are built in Vietnamese, whatever language an earlier request left active."""


@pytest.fixture
def product():
    return Product.objects.browsable().order_by("pk").first()


def _snippet(html):
    match = re.search(
        r'<details class="embed-snippet">.*?<textarea ([^>]*)>(.*?)</textarea>(.*?)</details>', html, re.S
    )
    assert match, "the product page has the embed generator"
    attrs, code, rest = match.groups()
    assert "readonly" in attrs
    return unescape(code), rest


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_product_page_offers_the_snippet_and_a_preview(client, product, prefix):
    language = "en" if prefix else "vi"
    html = client.get(prefix + product.get_absolute_url()).content.decode()
    code, rest = _snippet(html)
    assert code == (
        f'<div class="htx-embed" data-product="{product.pk}" data-lang="{language}" data-theme="light"></div>\n'
        '<script src="http://testserver/static/embed/embed.js" async></script>'
    )
    previews = re.findall(r'<a href="([^"]+)" target="_blank" rel="noopener">', rest)
    assert previews == [f"{prefix}/embed/product/{product.pk}/", f"{prefix}/embed/product/{product.pk}/?theme=dark"]
    for url in previews:
        assert client.get(unescape(url)).status_code == 200
    assert client.get("/static/embed/embed.js").status_code == 200


def test_the_generator_adds_no_inline_script(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)
