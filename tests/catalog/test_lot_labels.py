"""Printing a lot's QR label sheet: from the admin (edit page and listing), for lots not public yet or
on hold (the lot's own staff only), with a choice of sheet, number of labels and starting position."""

import re

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Lot

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def other_manager():
    return User.objects.get(username="huucodongnai")


@pytest.fixture
def hidden_lot(demo_lot):
    """A Bù Gia Mập lot registered but not public yet, and on hold."""
    Lot.objects.filter(pk=demo_lot.pk).update(is_public=False, status=Lot.Status.ON_HOLD)
    return Lot.objects.select_related("product").get(pk=demo_lot.pk)


def labels_url(lot, query=""):
    return f"/truy-xuat/lo/{lot.pk}/nhan/{query}"


def printed(html):
    return html.count('class="label"')


def test_a_lot_not_public_yet_prints_for_its_own_staff_only(client, clerk, other_manager, hidden_lot):
    assert client.get(labels_url(hidden_lot)).status_code == 404
    assert client.get(f"/truy-xuat/lo/{hidden_lot.pk}/qr.svg").status_code == 404
    client.force_login(other_manager)
    assert client.get(labels_url(hidden_lot)).status_code == 404
    assert client.get(f"/truy-xuat/lo/{hidden_lot.pk}/qr.svg").status_code == 404

    client.force_login(clerk)
    response = client.get(labels_url(hidden_lot))
    assert response.status_code == 200
    html = response.content.decode()
    assert printed(html) == 21
    assert "chưa công khai" in html and "đang tạm giữ" in html
    qr = client.get(f"/truy-xuat/lo/{hidden_lot.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert "private" in qr["Cache-Control"] and "public" not in qr["Cache-Control"]
    # Its own lot page too, to check it before it goes public.
    assert client.get(f"/truy-xuat/lo/{hidden_lot.pk}/").status_code == 200


def test_a_public_lots_qr_stays_publicly_cacheable(client, demo_lot):
    assert "public" in client.get(f"/truy-xuat/lo/{demo_lot.pk}/qr.svg")["Cache-Control"]


def test_each_label_carries_the_lot_product_gtin_best_before_and_the_digital_link(client, demo_lot):
    html = client.get(labels_url(demo_lot)).content.decode()
    product = demo_lot.product
    assert html.count(f"<strong>{demo_lot.code}</strong>") == 21
    assert html.count(f"GTIN {product.gtin}") == 21
    assert html.count(f"(01){product.gtin}(10){demo_lot.code}") == 21
    assert html.count(demo_lot.best_before.strftime("%d/%m/%Y")) == 21
    assert html.count(f'src="/truy-xuat/lo/{demo_lot.pk}/qr.svg"') == 21
    assert f"/01/{product.gtin}/10/{demo_lot.code}" in html  # the QR's Digital Link, in the first label's alt text
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    "query, labels, sheets, used",
    [
        ("", 21, 1, 0),
        ("?so=24&kho=3x8", 24, 1, 0),
        ("?kho=3x8", 24, 1, 0),
        ("?kho=2x7", 14, 1, 0),
        ("?so=30", 30, 2, 0),
        ("?so=10&bat_dau=5", 10, 1, 4),
        ("?so=20&bat_dau=5", 20, 2, 4),
    ],
)
def test_choose_the_sheet_the_number_and_where_to_start(client, demo_lot, query, labels, sheets, used):
    html = client.get(labels_url(demo_lot, query)).content.decode()
    assert printed(html) == labels
    assert html.count('<section class="label-sheet') == sheets
    assert html.count("label--used") == used


@pytest.mark.parametrize(
    "query, message",
    [
        ("?so=0", "In ít nhất 1 tem."),
        ("?so=abc", "Nhập số tem bằng số"),
        ("?so=5000", "tối đa 480 tem"),
        ("?bat_dau=22", "Tờ này chỉ có 21 tem"),
        ("?kho=a5", "kho"),
    ],
)
def test_bad_choices_get_a_message_and_the_default_sheet(client, demo_lot, query, message):
    response = client.get(labels_url(demo_lot, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"].errors
    assert message in html or message in response.context["form"].errors
    assert printed(html) == 21  # one default sheet meanwhile


def test_the_lot_edit_page_and_listing_open_the_sheet_in_a_new_tab(client, clerk, hidden_lot):
    client.force_login(clerk)
    url = labels_url(hidden_lot)
    for page in (f"/admin/snippets/catalogue/lot/edit/{hidden_lot.pk}/", "/admin/snippets/catalogue/lot/"):
        html = client.get(page).content.decode()
        links = re.findall(rf'<a href="{re.escape(url)}"[^>]*>', html)
        assert links, f"no label-sheet link on {page}"
        assert all('target="_blank"' in link and 'rel="noopener"' in link for link in links)
        assert "In nhãn QR" in html
    # The sheet links back to the lot in the admin.
    assert f"/admin/snippets/catalogue/lot/edit/{hidden_lot.pk}/" in client.get(url).content.decode()
