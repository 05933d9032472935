"""The foundation: one site, two languages, VND without decimals, health, settings."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from tests.factories import create_product

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NBSP = "\xa0"

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")
Page = get_model("wagtailcore", "Page")


def test_home_is_wagtail_in_vietnamese_at_root(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Hạt điều OCOP từ Bù Gia Mập và Đồng Nai" in html
    assert response.context["page"].specific_class.__name__ == "HomePage"


def test_english_home_under_en_prefix(client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "OCOP cashews from Bù Gia Mập and Đồng Nai" in html
    assert response.context["page"].locale.language_code == "en"


def test_vnd_strings_on_catalogue_and_product_pages_in_both_languages(client):
    product = create_product(title="Hạt điều kiểm thử giá", price=250000)
    for prefix, expected in (("", f"250.000{NBSP}₫"), ("/en", "₫250,000")):
        listing = client.get(f"{prefix}/shop/catalogue/?sort=newest").content.decode()
        assert expected in listing, prefix
        detail = client.get(f"{prefix}{product.get_absolute_url()}".replace("/en/en/", "/en/"))
        assert detail.status_code == 200
        assert expected in detail.content.decode(), prefix
        assert "250.000,00" not in listing and "250,000.00" not in listing


def test_basket_and_order_totals_are_whole_dong(client):
    product = create_product(price=250000, num_in_stock=10)
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 3}, HTTP_REFERER=product.get_absolute_url())
    assert response.status_code == 302
    basket = Basket.objects.get(pk=client.cookies["oscar_open_basket"].value.split(":")[0])
    basket.strategy = __import__("oscar.apps.partner.strategy", fromlist=["Default"]).Default()
    assert basket.total_incl_tax == Decimal(750000)
    assert basket.total_incl_tax == basket.total_incl_tax.to_integral_value()
    page = client.get("/shop/basket/").content.decode()
    assert f"750.000{NBSP}₫" in page
    order = create_order(basket=basket)
    assert order.currency == "VND"
    assert order.total_incl_tax == Decimal(750000)
    assert order.total_incl_tax == order.total_incl_tax.to_integral_value()


def test_fractional_dong_price_is_refused():
    record = StockRecord.objects.first()
    record.price = Decimal("185000.50")
    with pytest.raises(ValidationError) as excinfo:
        record.save()
    assert "đồng chẵn" in str(excinfo.value)
    record.refresh_from_db()
    assert record.price == record.price.to_integral_value()


def test_seed_demo_twice_leaves_the_same_counts():
    def counts():
        return (Product.objects.count(), Partner.objects.count(), StockRecord.objects.count(), Page.objects.count())

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    before = counts()
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    assert counts() == before
    assert before[0] >= 12 and before[1] == 2


def test_seed_demo_marks_samples():
    assert all(sku.startswith("DEMO-") for sku in StockRecord.objects.values_list("partner_sku", flat=True))


def test_seed_demo_refuses_without_permission(settings):
    settings.DEMO_DATA_ALLOWED = False
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo", stdout=open(os.devnull, "w"))


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_database_down(client):
    with mock.patch("shop.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def _production(env_overrides, *args):
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DJANGO_SETTINGS_MODULE="shop.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = _production({"ALLOWED_HOSTS": "shop.example.org", "DATABASE_URL": "sqlite:////tmp/x.db"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" not in result.stderr.split("need these environment variables:")[-1]


def test_production_check_deploy_is_clean():
    result = _production(
        {
            "SECRET_KEY": "x" * 60 + "-a-long-random-production-key",
            "ALLOWED_HOSTS": "shop.example.org",
            "DATABASE_URL": "sqlite:////tmp/deploy-check.db",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_language_switcher_keeps_the_current_page(client):
    html = client.get("/shop/catalogue/").content.decode()
    assert 'href="/en/shop/catalogue/" hreflang="en"' in html
    html = client.get("/gioi-thieu/").content.decode()
    assert 'href="/en/about-us/" hreflang="en"' in html
    html = client.get("/en/about-us/").content.decode()
    assert 'href="/gioi-thieu/" hreflang="vi"' in html


def test_pages_load_nothing_from_other_hosts(client):
    product = Product.objects.filter(upc="DEMO-BGM-RM-500").get()
    for url in ("/", "/shop/catalogue/", product.get_absolute_url(), "/shop/basket/"):
        html = client.get(url).content.decode()
        for marker in ('src="http', "src='http", 'href="http://', 'href="https://', "//ajax.googleapis", "cdn"):
            assert marker not in html.replace(f'href="{"http://testserver"}', ""), (url, marker)


def test_top_level_page_cannot_take_a_shop_slug(admin_client):
    home = Page.objects.get(depth=2, locale__language_code="vi")
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    data = nested_form_data({"title": "Cửa hàng", "slug": "shop", "intro": "", "body": streamfield([])})
    response = admin_client.post(f"/admin/pages/add/cms/standardpage/{home.pk}/", {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "đã dành cho cửa hàng" in response.content.decode()
    assert not Page.objects.filter(slug="shop").exists()


def test_wagtail_admin_and_oscar_dashboard_link_to_each_other(admin_client):
    admin_home = admin_client.get("/admin/").content.decode()
    assert "/shop/dashboard/" in admin_home
    dashboard = admin_client.get("/shop/dashboard/").content.decode()
    assert 'href="/admin/"' in dashboard


def test_env_example_documents_every_variable_the_settings_read():
    import re

    root = Path(__file__).resolve().parents[2]
    read = set()
    for module in ("base", "dev", "production"):
        source = (root / "shop" / "settings" / f"{module}.py").read_text()
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read, "the settings were read"
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (root / ".env.example").read_text(), re.M))
    # OPENSEARCH_URL is SEARCH_URL's other name, documented on SEARCH_URL's line.
    assert sorted(read - documented - {"OPENSEARCH_URL"}) == []
