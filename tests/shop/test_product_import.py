"""CSV import and export of products and stock: preview, row-level errors, all or nothing, round trip.

As the manager of HTX hữu cơ Đồng Nai (A); HTX Bù Gia Mập (B) is the other cooperative.
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from shop.dashboard.catalogue.resources import COLUMN_NAMES

pytestmark = pytest.mark.django_db

User = get_user_model()
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")

IMPORT_URL = "/shop/dashboard/catalogue/products/import/"
CONFIRM_URL = "/shop/dashboard/catalogue/products/import/confirm/"
EXPORT_URL = "/shop/dashboard/catalogue/products/export/"


def snapshot():
    """Everything an import could touch."""
    return {
        "products": list(Product.objects.order_by("pk").values()),
        "stock": list(StockRecord.objects.order_by("pk").values()),
        "categories": list(ProductCategory.objects.order_by("pk").values_list("product_id", "category_id")),
        "attributes": list(ProductAttributeValue.objects.order_by("pk").values_list("product_id", "value_float")),
    }


def exported(client, **params):
    response = client.get(EXPORT_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8")


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def to_csv(rows, columns=COLUMN_NAMES, delimiter=","):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return out.getvalue()


def upload(client, content, name="san-pham.csv", encoding="utf-8"):
    data = content if isinstance(content, bytes) else content.encode(encoding)
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def row(**values):
    base = {
        "sku": "T-NEW-500",
        "title": "Hạt điều thử 500 g",
        "title_en": "Test cashews 500 g",
        "category": "Điều nhân",
        "weight_g": "500",
        "price": "150000",
        "num_in_stock": "20",
        "is_public": "có",
    }
    return {**base, **values}


def errors_of(response):
    preview = response.context["preview"]
    return [(r.line, column, str(message)) for r in preview.rows for column, message in r.errors]


# Export
# ------------------------------------------------------------------------------
def test_export_holds_exactly_own_products_and_stock(manager_client, bgm, hcdn):
    # B's product that A's partner stocks stays out; A's product that B's partner stocks shows only A's stock.
    theirs = Product.objects.filter(cooperative=bgm).first()
    StockRecord.objects.create(product=theirs, partner=hcdn.partner, partner_sku="A-HOLDS-B", price=1, num_in_stock=1)
    mine = Product.objects.filter(cooperative=hcdn, structure="standalone").first()
    StockRecord.objects.create(product=mine, partner=bgm.partner, partner_sku="B-ON-A", price=777001, num_in_stock=1)
    text = exported(manager_client)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    rows = rows_of(text)
    assert list(rows[0]) == COLUMN_NAMES
    expected = set(
        StockRecord.objects.filter(product__cooperative=hcdn, partner=hcdn.partner).values_list(
            "partner_sku", flat=True
        )
    )
    assert {r["sku"] for r in rows} == expected
    assert "A-HOLDS-B" not in text and theirs.upc not in text and "777001" not in text and "B-ON-A" not in text
    own = next(r for r in rows if r["sku"] == mine.stockrecords.get(partner=hcdn.partner).partner_sku)
    assert own["price"] == str(int(mine.stockrecords.get(partner=hcdn.partner).price))  # no ".00"


def test_export_import_round_trips_unchanged(manager_client):
    before = snapshot()
    response = upload(manager_client, exported(manager_client))
    preview = response.context["preview"]
    assert not preview.has_errors and preview.new == preview.updated == 0 and preview.unchanged == len(preview.rows)
    response = manager_client.post(CONFIRM_URL, {"token": response.context["token"]})
    assert response.status_code == 302
    assert snapshot() == before


def test_export_of_variants_round_trips(manager_client, hcdn):
    parent = Product.objects.create(
        title="Hạt điều có quy cách",
        upc="T-FAMILY",
        structure="parent",
        cooperative=hcdn,
        product_class=ProductClass.objects.get(slug="hat-dieu"),
    )
    ProductCategory.objects.create(product=parent, category_id=ProductCategory.objects.first().category_id)
    for grams in (250, 500):
        child = Product.objects.create(parent=parent, structure="child", title=f"{grams} g", upc=f"T-FAMILY-{grams}")
        child.attr.weight = grams / 1000
        child.attr.save()
        StockRecord.objects.create(product=child, partner=hcdn.partner, partner_sku=child.upc, price=grams * 300)
    rows = rows_of(exported(manager_client))
    skus = [r["sku"] for r in rows]
    assert skus.index("T-FAMILY") + 1 == skus.index("T-FAMILY-250")
    family = {r["sku"]: r for r in rows if r["sku"].startswith("T-FAMILY")}
    assert family["T-FAMILY"]["price"] == "" and family["T-FAMILY-500"]["parent_sku"] == "T-FAMILY"
    assert family["T-FAMILY-500"]["weight_g"] == "500" and family["T-FAMILY-500"]["price"] == "150000"
    before = snapshot()
    response = upload(manager_client, exported(manager_client))
    assert response.context["preview"].unchanged == len(rows), errors_of(response)
    manager_client.post(CONFIRM_URL, {"token": response.context["token"]})
    assert snapshot() == before


# A good file
# ------------------------------------------------------------------------------
def test_a_good_file_previews_then_imports(manager_client, hcdn):
    rows = rows_of(exported(manager_client))
    rows[0]["price"] = "123.000"  # Vietnamese thousands separator
    rows[0]["num_in_stock"] = "5"
    rows += [
        row(),
        row(sku="T-FAM", title="Hạt điều hai cỡ", price="", num_in_stock="", weight_g=""),
        row(sku="T-FAM-250", parent_sku="T-FAM", title="", title_en="", category="", weight_g="250", price="60000"),
        row(sku="T-FAM-1K", parent_sku="T-FAM", title="", title_en="", category="", weight_g="1000", price="200000"),
    ]
    response = upload(manager_client, to_csv(rows))
    preview = response.context["preview"]
    assert (preview.new, preview.updated, preview.failed) == (4, 1, 0), errors_of(response)
    changed = preview.rows[0]
    price = next(cell for cell in changed.cells if cell.column == "price")
    assert price.changed and price.value == "123000"
    assert not Product.objects.filter(upc="T-NEW-500").exists()  # the preview saved nothing

    response = manager_client.post(CONFIRM_URL, {"token": response.context["token"]})
    assert response.status_code == 302
    record = StockRecord.objects.get(partner=hcdn.partner, partner_sku=rows[0]["sku"])
    assert (record.price, record.num_in_stock) == (123000, 5)
    new = Product.objects.get(upc="T-NEW-500")
    assert new.cooperative == hcdn and new.title_en == "Test cashews 500 g" and new.attr.weight == 0.5
    assert list(new.categories.values_list("name", flat=True)) == ["Điều nhân"]
    assert new.stockrecords.get().partner == hcdn.partner
    family = Product.objects.get(upc="T-FAM")
    assert family.is_parent and not family.stockrecords.exists()
    kilo = family.children.get(upc="T-FAM-1K")
    assert kilo.title == "Hạt điều hai cỡ – 1 kg" and kilo.cooperative == hcdn
    assert kilo.stockrecords.get().price == 200000


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: ("\ufeff" + text).encode("utf-8"),
        lambda text: text.replace(",", ";").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8 with BOM (Excel)", "semicolons (Excel in Vietnamese)"],
)
def test_excel_files_are_read(manager_client, encode):
    response = upload(manager_client, encode(to_csv([row(description="", description_en="")])))
    assert response.context["preview"].new == 1, response.context["form"].errors


# Bad files: a row-level message, and nothing imported
# ------------------------------------------------------------------------------
def foreign_stocked_row(bgm, hcdn):
    product = Product.objects.filter(cooperative=bgm, structure="standalone").first()
    StockRecord.objects.create(product=product, partner=hcdn.partner, partner_sku="A-HOLDS-B", price=1, num_in_stock=1)
    return row(sku="A-HOLDS-B")


BAD_ROWS = {
    "negative stock": (lambda b, a: row(num_in_stock="-3"), "num_in_stock", "Tồn kho không được âm."),
    "fractional price": (lambda b, a: row(price="150000,5"), "price", "có phần lẻ"),
    "price with cents": (lambda b, a: row(price="150000.50"), "price", "có phần lẻ"),
    "non-numeric price": (lambda b, a: row(price="một trăm"), "price", "không phải một số"),
    "non-integer stock": (lambda b, a: row(num_in_stock="2.5"), "num_in_stock", "phải là số nguyên"),
    "unknown category": (lambda b, a: row(category="Bánh kẹo"), "category", "Không có danh mục “Bánh kẹo”"),
    "missing category": (lambda b, a: row(category=""), "category", "Thiếu danh mục"),
    "missing price": (lambda b, a: row(price=""), "price", "Thiếu giá"),
    "bad GTIN check digit": (lambda b, a: row(gtin="2000000000038"), "gtin", "Chữ số kiểm tra"),
    "GTIN mangled by Excel": (lambda b, a: row(gtin="8.93E+12"), "gtin", "số mũ"),
    "the other cooperative's SKU": (
        lambda b, a: row(sku=Product.objects.filter(cooperative=b).first().upc),
        "sku",
        "hợp tác xã khác",
    ),
    "the other cooperative's product stocked by us": (foreign_stocked_row, "sku", "hợp tác xã khác"),
    "a variant of the other cooperative's product": (
        lambda b, a: row(sku="T-V", parent_sku=Product.objects.filter(cooperative=b).first().upc, category=""),
        "parent_sku",
        "hợp tác xã khác",
    ),
    "a parent that is not there": (
        lambda b, a: row(sku="T-V", parent_sku="T-NOWHERE", category=""),
        "parent_sku",
        "Dòng của sản phẩm cha phải đứng trước",
    ),
    "the same SKU twice": (lambda b, a: row(sku=Product.objects.filter(cooperative=a).first().upc + "-X"), None, None),
    "yes/no": (lambda b, a: row(is_public="maybe"), "is_public", "“có” hoặc “không”"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_gets_its_message_and_nothing_is_imported(manager_client, bgm, hcdn, case):
    make, column, message = BAD_ROWS[case]
    good = row(sku="T-GOOD")
    bad = make(bgm, hcdn)
    rows = [good, bad] + ([dict(bad)] if case == "the same SKU twice" else [])
    if case == "the same SKU twice":
        column, message = "sku", "trùng với dòng 3"
    before = snapshot()
    response = upload(manager_client, to_csv(rows))
    assert response.status_code == 200
    assert response.context["token"] is None  # no confirm button
    errors = errors_of(response)
    line = 4 if case == "the same SKU twice" else 3
    assert any(e_line == line and e_column == column and message in text for e_line, e_column, text in errors), errors
    assert response.context["preview"].rows[0].status == "new"  # the good row alone would import...
    assert snapshot() == before  # ...but nothing did
    assert message in response.content.decode()


def test_the_real_import_is_all_or_nothing(hcdn):
    from shop.dashboard.catalogue import resources

    user = User.objects.get(username="huucodongnai")
    before = snapshot()
    dataset = resources.load_dataset(to_csv([row(sku="T-ONE"), row(sku="T-TWO", price="-5")]))
    result = resources.run_import(dataset, hcdn, user)
    assert result.has_errors and result.rows[0].status == "new"
    assert snapshot() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Tệp trống."),
        (b"\xef\xbb\xbf\r\n", "Tệp trống."),
        (to_csv([]).encode(), "không có sản phẩm nào"),
        (b"sku,title\nX,Y\n", "thiếu cột parent_sku"),
        (to_csv([row()], columns=[*COLUMN_NAMES, "gia"]).encode(), "cột không dùng được gia"),
        (to_csv([row()]).replace("price", "gia_ban").encode(), "thiếu cột price"),
        ("sku,title\nT,Bù Gia Mã\n".encode("cp1252"), "không phải mã UTF-8"),
        (to_csv([row(title="Hạt điều")]).encode("utf-16"), "không phải mã UTF-8"),
    ],
    ids=[
        "empty",
        "only a BOM",
        "only the header",
        "missing columns",
        "unknown column",
        "renamed column",
        "windows-1252",
        "utf-16",
    ],
)
def test_a_file_that_cannot_be_read_says_why(manager_client, content, message):
    before = snapshot()
    response = upload(manager_client, content)
    assert response.status_code == 200
    assert "preview" not in response.context
    assert any(message in str(error) for error in response.context["form"].errors["file"]), response.context[
        "form"
    ].errors
    assert snapshot() == before


def test_a_file_that_went_bad_since_its_preview_imports_nothing(manager_client, bgm):
    response = upload(manager_client, to_csv([row(sku="T-FIRST"), row(sku="T-RACE")]))
    token = response.context["token"]
    # Meanwhile the other cooperative takes the SKU.
    Product.objects.create(title="Của HTX khác", upc="T-RACE", cooperative=bgm)
    response = manager_client.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 200
    assert any(column == "sku" and "hợp tác xã khác" in text for _line, column, text in errors_of(response))
    assert not Product.objects.filter(upc="T-FIRST").exists()


def test_the_confirmation_cannot_be_forged_or_replayed_by_someone_else(manager_client, client):
    response = upload(manager_client, to_csv([row()]))
    token = response.context["token"]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    manager_client.post(CONFIRM_URL, {"token": tampered})
    assert not Product.objects.filter(upc="T-NEW-500").exists()
    client.force_login(User.objects.get(username="bugiamap"))
    assert client.post(CONFIRM_URL, {"token": token}).status_code == 404
    assert not Product.objects.filter(upc="T-NEW-500").exists()


def test_the_readme_example_imports_as_it_says(manager_client, hcdn):
    readme = (settings.BASE_DIR / "README.md").read_text()
    example = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    response = upload(manager_client, example)
    preview = response.context["preview"]
    assert (preview.new, preview.failed) == (4, 0), errors_of(response)
    manager_client.post(CONFIRM_URL, {"token": response.context["token"]})
    variant = Product.objects.get(upc="RMHC-500")
    assert variant.title == "Hạt điều rang muối hữu cơ – 500 g" and variant.parent.upc == "RMHC"
    gift = Product.objects.get(upc="QUA-TET")
    assert gift.stockrecords.get().price == 420000 and not gift.is_public and gift.cooperative == hcdn


def test_the_product_list_links_to_import_and_export(manager_client):
    html = manager_client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert (
        reverse("dashboard:catalogue-product-export") in html and reverse("dashboard:catalogue-product-import") in html
    )
    page = manager_client.get(IMPORT_URL).content.decode()
    for column in COLUMN_NAMES:
        assert f"<code>{column}</code>" in page


def test_a_platform_admin_imports_for_a_chosen_cooperative(admin_client, bgm):
    data = to_csv([row(sku="T-ADMIN")]).encode()
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.csv", data)})
    assert "cooperative" in response.context["form"].errors
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.csv", data), "cooperative": bgm.pk})
    admin_client.post(CONFIRM_URL, {"token": response.context["token"]})
    assert Product.objects.get(upc="T-ADMIN").cooperative == bgm
    text = exported(admin_client, cooperative=bgm.pk)
    assert "T-ADMIN" in text and "DEMO-HCDN" not in text
