"""Oscar's product dashboard for cooperative staff: a product is its cooperative's, whoever stocks it.

The manager of HTX hữu cơ Đồng Nai (A, `huucodongnai`) and the staff member of HTX Bù Gia Mập
(B, `bugiamap`). Variants (250 g / 500 g / 1 kg) get their price and stock on the parent's page.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.models import Certification, OcopRating, RawMaterialZone
from tests.shop.product_forms import page_data, stock_row, variant_row

pytestmark = pytest.mark.django_db

User = get_user_model()
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def shared_product(bgm, hcdn):
    """B's product that A's partner also holds stock of: still B's."""
    product = Product.objects.filter(cooperative=bgm, structure="standalone").first()
    StockRecord.objects.create(product=product, partner=hcdn.partner, partner_sku="A-HOLDS-B", price=1, num_in_stock=1)
    return product


def product_url(product):
    return reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})


def own_product(cooperative):
    return Product.objects.filter(cooperative=cooperative, structure="standalone").order_by("pk").first()


def new_product(cooperative, upc, **kwargs):
    product = Product.objects.create(
        title=f"Sản phẩm thử {upc}",
        upc=upc,
        product_class=ProductClass.objects.get(slug="hat-dieu"),
        cooperative=cooperative,
        **kwargs,
    )
    ProductCategory.objects.create(product=product, category=Category.objects.get(slug="dieu-nhan"))
    return product


# Only their own products
# ------------------------------------------------------------------------------
def test_the_list_shows_only_own_products_even_one_they_stock(manager_client, shared_product, hcdn):
    html = manager_client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert shared_product.upc not in html
    assert own_product(hcdn).upc in html


def test_the_list_never_shows_the_other_cooperatives_price(manager_client, bgm, hcdn):
    product = own_product(hcdn)
    StockRecord.objects.create(product=product, partner=bgm.partner, partner_sku="B-ON-A", price=777001, num_in_stock=3)
    html = manager_client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert "777.001" not in html and "777001" not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_other_cooperatives_product_is_not_found_even_when_stocked(manager_client, shared_product, method):
    before = Product.objects.filter(pk=shared_product.pk).values().get()
    urls = [
        product_url(shared_product),
        reverse("dashboard:catalogue-product-delete", kwargs={"pk": shared_product.pk}),
        reverse("dashboard:catalogue-product-create-child", kwargs={"parent_pk": shared_product.pk}),
    ]
    for url in urls:
        response = getattr(manager_client, method)(url, {"title": "Đã bị sửa"})
        assert response.status_code == 404, url
    assert Product.objects.filter(pk=shared_product.pk).values().get() == before


def test_the_product_lookup_offers_only_own_products(manager_client, bgm, hcdn):
    response = manager_client.get(reverse("dashboard:catalogue-product-lookup"), {"q": "điều"})
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert ids and ids <= set(Product.objects.filter(cooperative=hcdn).values_list("pk", flat=True))


def test_a_bulk_action_cannot_reach_the_other_cooperatives_product(manager_client, shared_product, hcdn):
    own = own_product(hcdn)
    response = manager_client.post(
        reverse("dashboard:catalogue-product-list"),
        {"action": "make_products_non_public", "selected_product": [shared_product.pk, own.pk]},
        follow=True,
    )
    queryset = response.context["form"].fields["selected_products"].queryset
    assert shared_product not in queryset and own in queryset


def test_the_platform_admin_sees_both(admin_client, bgm, hcdn):
    html = admin_client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert own_product(bgm).upc in html and own_product(hcdn).upc in html
    assert admin_client.get(product_url(own_product(bgm))).status_code == 200


def test_the_list_costs_the_same_queries_for_more_products(manager_client, hcdn):
    url = reverse("dashboard:catalogue-product-list")
    manager_client.get(url)
    with CaptureQueriesContext(connection) as few:
        manager_client.get(url)
    for index in range(6):
        product = new_product(hcdn, f"T-LIST-{index}", structure="parent" if index % 2 else "standalone")
        if index % 2:
            for size in (250, 500):
                Product.objects.create(
                    parent=product, structure="child", title=f"{size} g", upc=f"T-LIST-{index}-{size}"
                )
        else:
            StockRecord.objects.create(product=product, partner=hcdn.partner, partner_sku=product.upc, price=1000)
    manager_client.get(url)
    with CaptureQueriesContext(connection) as many:
        manager_client.get(url)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


# The product page
# ------------------------------------------------------------------------------
def test_the_page_offers_only_own_cooperative_certificates_and_zones(manager_client, hcdn):
    product = own_product(hcdn)
    response = manager_client.get(product_url(product))
    form = response.context["form"]
    assert form.fields["cooperative"].disabled and list(form.fields["cooperative"].queryset) == [hcdn]
    certificates = set(form.fields["certifications"].queryset)
    assert certificates == set(Certification.objects.filter(cooperative=hcdn).exclude(kind="ocop"))
    assert set(form.fields["origin_zones"].queryset) == set(RawMaterialZone.objects.filter(cooperative=hcdn))
    stock_form = response.context["stockrecord_formset"].forms[0]
    assert list(stock_form.fields["partner"].queryset) == [hcdn.partner]


def test_the_page_shows_vietnamese_and_english_whole_dong_prices_and_ocop(manager_client, hcdn):
    rating = OcopRating.objects.filter(cooperative=hcdn).first()
    product = rating.product
    record = product.stockrecords.get()
    html = manager_client.get(product_url(product)).content.decode()
    assert 'name="title_en"' in html and 'name="description_en"' in html
    assert f'value="{int(record.price)}"' in html and f"{int(record.price)}.00" not in html
    assert reverse("wagtailsnippets_catalogue_ocoprating:edit", args=[rating.pk]) in html
    assert reverse("wagtailadmin_home") in html
    # Every input of the stock and variant tables has a label.
    for name in ("stockrecords-0-price", "variants-0-price", "variants-0-weight_g"):
        assert f'for="id_{name}"' in html


def test_edit_saves_both_languages_gtin_zones_and_price(manager_client, bgm, hcdn):
    product = own_product(hcdn)
    ctx = manager_client.get(product_url(product)).context
    zone = RawMaterialZone.objects.filter(cooperative=hcdn).first()
    data = page_data(
        ctx,
        title="Hạt điều thử",
        title_en="Test cashews",
        gtin="2000000000039",
        origin_zones=[str(zone.pk)],
        cooperative=str(bgm.pk),  # a fixed field: handing the product to the other cooperative is ignored
        **stock_row(ctx, 0, price="123000", num_in_stock="7"),
    )
    response = manager_client.post(product_url(product), data)
    assert response.status_code == 302, response.context["form"].errors
    product.refresh_from_db()
    assert (product.title, product.title_en, product.gtin) == ("Hạt điều thử", "Test cashews", "02000000000039")
    assert list(product.origin_zones.all()) == [zone]
    assert product.cooperative == hcdn
    record = product.stockrecords.get()
    assert (record.price, record.num_in_stock) == (Decimal("123000"), 7)


def test_edit_refuses_a_bad_gtin_a_fraction_of_a_dong_and_the_other_cooperative(manager_client, bgm, hcdn):
    product = own_product(hcdn)
    ctx = manager_client.get(product_url(product)).context
    foreign_zone = RawMaterialZone.objects.filter(cooperative=bgm).first()
    data = page_data(
        ctx,
        gtin="2000000000038",
        origin_zones=[str(foreign_zone.pk)],
        cooperative=str(bgm.pk),
        **stock_row(ctx, 0, price="123000.5", partner=str(bgm.partner_id)),
    )
    before = Product.objects.filter(pk=product.pk).values().get()
    response = manager_client.post(product_url(product), data)
    assert response.status_code == 200
    assert "gtin" in response.context["form"].errors
    assert "origin_zones" in response.context["form"].errors
    stock_errors = response.context["stockrecord_formset"].forms[0].errors
    assert "Giá phải là số đồng chẵn, không có phần lẻ." in stock_errors["price"]
    assert "partner" in stock_errors
    assert Product.objects.filter(pk=product.pk).values().get() == before
    assert not StockRecord.objects.filter(product=product, partner=bgm.partner).exists()


# Variants
# ------------------------------------------------------------------------------
def create_url():
    return reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": "hat-dieu"})


def test_a_clerk_creates_a_product_with_two_variants_from_one_page(clerk_client, bgm):
    ctx = clerk_client.get(create_url()).context
    data = page_data(
        ctx,
        title="Hạt điều rang muối thử",
        title_en="Test roasted cashews",
        upc="T-VAR",
        **{f"{ctx['category_formset'].prefix}-0-category": str(Category.objects.get(slug="dieu-rang-muoi").pk)},
        **variant_row(ctx, 0, sku="T-VAR-250", weight_g="250", price="95000", num_in_stock="30"),
        **variant_row(ctx, 1, sku="T-VAR-500", weight_g="500", price="180000", num_in_stock="12", title="Gói lớn"),
    )
    response = clerk_client.post(create_url(), data)
    assert response.status_code == 302, (response.context["form"].errors, response.context["variant_formset"].errors)
    parent = Product.objects.get(upc="T-VAR")
    assert parent.is_parent and parent.cooperative == bgm and not parent.stockrecords.exists()
    small, large = parent.children.order_by("pk")
    assert small.title == "Hạt điều rang muối thử – 250 g" and small.title_en == "Test roasted cashews – 250 g"
    assert large.title == "Gói lớn"
    for child, (sku, grams, price, stock) in zip(
        (small, large), [("T-VAR-250", 250, 95000, 30), ("T-VAR-500", 500, 180000, 12)], strict=True
    ):
        child.refresh_from_db()
        assert child.cooperative == bgm and child.upc == sku
        assert child.attr.weight == grams / 1000
        record = child.stockrecords.get()
        assert (record.partner, record.partner_sku, record.price, record.num_in_stock) == (
            bgm.partner,
            sku,
            price,
            stock,
        )


def test_a_refused_save_names_each_tab_and_what_to_fix_and_keeps_what_was_typed(clerk_client, bgm):
    ctx = clerk_client.get(create_url()).context
    data = page_data(
        ctx,
        title="Hạt điều thử lỗi",
        upc="T-ERR",
        **variant_row(ctx, 0, sku="T-ERR-250", weight_g="250", price="95000", num_in_stock="3"),
        **variant_row(ctx, 1, sku="T-ERR-500", weight_g="500", price="99999.5", num_in_stock="2"),
    )
    response = clerk_client.post(create_url(), data)
    assert response.status_code == 200 and not Product.objects.filter(upc__startswith="T-ERR").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Chưa lưu được. Hãy sửa ở mục “Danh mục”: Sản phẩm riêng lẻ và dòng sản phẩm phải có ít nhất một danh mục;"
        " “Biến thể (quy cách)”: biến thể 2, Giá (đồng): Giá phải là số đồng chẵn, không có phần lẻ."
    ]
    html = response.content.decode()
    assert 'value="T-ERR-500"' in html and 'value="95000"' in html


def test_every_variant_field_is_labelled_with_its_row(clerk_client, bgm):
    parent, _child = parent_with_variant(bgm)
    html = clerk_client.get(product_url(parent)).content.decode()
    for row in (1, 2):  # the variant, then the first empty row
        for label in ("Tên biến thể", "Tên (tiếng Anh)", "Mã SKU", "GTIN", "Giá (đồng)", "Tồn kho", "Đang bán"):
            assert f">{label} – biến thể {row}</label>" in html, (label, row)
    assert "shop/css/dashboard-product.css" in html


def parent_with_variant(cooperative, sku="T-PARENT"):
    parent = new_product(cooperative, sku, structure="parent")
    child = Product.objects.create(parent=parent, structure="child", title="250 g", upc=f"{sku}-250")
    child.attr.weight = 0.25
    child.attr.save()
    StockRecord.objects.create(product=child, partner=cooperative.partner, partner_sku=f"{sku}-250", price=50000)
    return parent, child


def test_variants_are_edited_added_and_removed_on_the_parents_page(manager_client, hcdn):
    parent, child = parent_with_variant(hcdn)
    ctx = manager_client.get(product_url(parent)).context
    assert [form.initial["price"] for form in ctx["variant_formset"].initial_forms] == [Decimal("50000.00")]
    data = page_data(
        ctx,
        **variant_row(ctx, 0, price="52000", num_in_stock="9"),
        **variant_row(ctx, 1, sku="T-PARENT-1K", weight_g="1000", price="190000", num_in_stock="4"),
    )
    assert manager_client.post(product_url(parent), data).status_code == 302
    assert child.stockrecords.get().price == 52000
    kilo = parent.children.get(upc="T-PARENT-1K")
    assert kilo.title == f"{parent.title} – 1 kg" and kilo.stockrecords.get().num_in_stock == 4

    ctx = manager_client.get(product_url(parent)).context
    data = page_data(ctx, **variant_row(ctx, 0, DELETE="on"), **variant_row(ctx, 1, DELETE="on"))
    assert manager_client.post(product_url(parent), data).status_code == 302
    parent.refresh_from_db()
    assert not parent.children.exists() and parent.is_standalone


def test_a_variant_needs_a_whole_dong_price_and_nothing_is_saved_otherwise(manager_client, hcdn):
    parent, child = parent_with_variant(hcdn)
    ctx = manager_client.get(product_url(parent)).context
    data = page_data(ctx, **variant_row(ctx, 1, sku="T-PARENT-500", weight_g="500", price="99999.5", num_in_stock="-1"))
    response = manager_client.post(product_url(parent), data)
    errors = response.context["variant_formset"].forms[1].errors
    assert "Giá phải là số đồng chẵn, không có phần lẻ." in errors["price"]
    assert "Tồn kho không được âm." in errors["num_in_stock"]
    assert list(parent.children.all()) == [child]


def test_variants_need_the_products_own_price_removed_first(manager_client, hcdn):
    product = own_product(hcdn)
    ctx = manager_client.get(product_url(product)).context
    data = page_data(ctx, **variant_row(ctx, 0, sku="T-NEW-250", weight_g="250", price="1000", num_in_stock="1"))
    response = manager_client.post(product_url(product), data)
    assert response.status_code == 200
    assert "giá và tồn kho ghi ở từng biến thể" in str(response.context["variant_formset"].non_form_errors())
    assert not product.children.exists()
    # Removing the product's own price in the same save makes it a parent with its variant.
    data.update(stock_row(ctx, 0, DELETE="on"))
    assert manager_client.post(product_url(product), data).status_code == 302
    product.refresh_from_db()
    assert product.is_parent and product.children.get().stockrecords.get().price == 1000


def test_a_variant_sku_of_the_other_cooperative_is_refused(manager_client, bgm, hcdn):
    parent, _child = parent_with_variant(hcdn)
    ctx = manager_client.get(product_url(parent)).context
    taken = own_product(bgm).upc
    data = page_data(ctx, **variant_row(ctx, 1, sku=taken, weight_g="500", price="1000", num_in_stock="1"))
    response = manager_client.post(product_url(parent), data)
    assert "sku" in response.context["variant_formset"].forms[1].errors
    assert parent.children.count() == 1


def test_a_clerk_may_add_but_not_remove_variants(clerk_client, bgm):
    parent, child = parent_with_variant(bgm)
    ctx = clerk_client.get(product_url(parent)).context
    assert not ctx["variant_formset"].can_delete
    data = page_data(ctx, **variant_row(ctx, 0, DELETE="on"))
    clerk_client.post(product_url(parent), data)
    assert parent.children.filter(pk=child.pk).exists()
    assert clerk_client.post(reverse("dashboard:catalogue-product-delete", kwargs={"pk": child.pk})).status_code == 403
    assert Product.objects.filter(pk=child.pk).exists()


def test_oscars_own_create_variant_page_works_for_a_cooperative_and_stays_scoped(clerk_client, bgm):
    parent, _child = parent_with_variant(bgm)
    url = reverse("dashboard:catalogue-product-create-child", kwargs={"parent_pk": parent.pk})
    ctx = clerk_client.get(url).context
    assert "variant_formset" not in ctx
    data = page_data(
        ctx,
        title="Gói 1 kg",
        upc="T-PARENT-1KG",
        attr_weight="1000",
        **stock_row(ctx, 0, partner_sku="T-PARENT-1KG", price="185000", num_in_stock="5"),
    )
    response = clerk_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    variant = parent.children.get(upc="T-PARENT-1KG")
    assert variant.cooperative == bgm and variant.attr.weight == 1.0
    assert variant.stockrecords.get().partner == bgm.partner


def test_a_product_with_lots_is_not_deleted_but_explained(manager_client, hcdn):
    product = Product.objects.filter(cooperative=hcdn, lots__isnull=False).first()
    response = manager_client.post(
        reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk}), follow=True
    )
    assert Product.objects.filter(pk=product.pk).exists()
    assert "Không xóa được" in response.content.decode()
    empty = new_product(hcdn, "T-DELETE")
    manager_client.post(reverse("dashboard:catalogue-product-delete", kwargs={"pk": empty.pk}))
    assert not Product.objects.filter(pk=empty.pk).exists()
