"""A cooperative clerk's day in headless Chromium at 1280 px (issue #6): only their own cooperative's data.

`bugiamap` ("Nhân viên HTX" of HTX Nông nghiệp Bù Gia Mập) signs in at /admin/login/ and from then on
only clicks the links, tabs and buttons the pages show and types into fields found by their labels:

1. adds "Điều rang muối DEMO" with a 250 g and a 500 g variant in the product dashboard (saving once
   without a category first: the message names the tab and what is missing, and nothing typed is lost);
2. registers a lot of the 500 g variant with three trace events in the Wagtail admin;
3. prints its label sheet: "In nhãn QR" opens it in a new tab, its QR code scans as the lot's GS1
   Digital Link, and print media shows the labels only;
4. a shopper buys two 500 g bags and a bag of HTX hữu cơ Đồng Nai's; the clerk opens the order from
   the staff home's "Đơn hàng cần giao", presses the button before ticking the line (told so, the
   carrier and tracking number kept), then hands their line to GHN. The other cooperative's line is
   neither shown nor touched.

No page logs a console error and no request leaves the shop (no Gravatar, no CDN). One test: the
demo data is seeded once per browser test (tests/e2e/conftest.py).
"""

import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image
from playwright.sync_api import expect

from catalog.models import Cooperative, Lot, TraceEvent
from shop.order import statuses
from shop.order.carriers import Carrier
from tests.shop.checkout_steps import add_to_basket, place_order, to_preview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")

PARENT = {"title": "Điều rang muối DEMO", "title_en": "Roasted salted cashews DEMO", "sku": "DEMO-BGM-DRM"}
# SKU, GTIN as printed under the barcode (GS1 prefix 200: restricted circulation, never a real one), grams, đồng, stock
VARIANTS = [
    ("DEMO-BGM-DRM-250", "2001000000258", 250, 99000, 40),
    ("DEMO-BGM-DRM-500", "2001000000500", 500, 185000, 25),
]
LOT_CODE = "DEMO-DRM-01"
TRACKING = "GHNDRM0001"


@pytest.fixture
def shop(demo_live_server):
    return demo_live_server.url


@pytest.fixture
def desk(browser, shop):
    """A desktop browser (1280 × 900, Vietnamese) whose every tab records console errors and any
    request that leaves the shop."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.problems = []

    def watch(tab):
        tab.on("console", lambda msg: msg.type == "error" and context.problems.append(f"{tab.url}: {msg.text}"))
        tab.on("pageerror", lambda exc: context.problems.append(f"{tab.url}: {exc}"))
        tab.on(
            "request",
            lambda req: (
                req.url.startswith(("http:", "https:"))
                and not req.url.startswith(shop)
                and context.problems.append(f"{tab.url}: request to {req.url}")
            ),
        )

    context.on("page", watch)
    yield context
    context.close()


def sign_in(page, shop):
    page.goto(shop + "/admin/login/")
    page.get_by_label("Tên đăng nhập").fill("bugiamap")
    page.keyboard.press("Tab")
    # Wagtail 8's Vietnamese catalogue leaves "Password" untranslated; either way the field is labelled.
    expect(page.get_by_label(re.compile(r"Mật khẩu|Password"))).to_be_focused()
    page.keyboard.type(settings.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(shop + "/admin/")


def add_product_with_variants(page):
    page.get_by_role("link", name="Sản phẩm", exact=True).click()  # the staff home's menu
    page.get_by_role("button", name="Sản phẩm mới").click()
    page.get_by_label("Tên sản phẩm", exact=True).fill(PARENT["title"])
    page.get_by_label("Tên sản phẩm (tiếng Anh)").fill(PARENT["title_en"])
    page.get_by_label("Mã sản phẩm (SKU)").fill(PARENT["sku"])
    expect(page.get_by_label("Hợp tác xã sản xuất")).to_have_text(re.compile("Bù Gia Mập"))
    expect(page.get_by_label("Hợp tác xã sản xuất")).to_be_disabled()

    page.get_by_role("link", name="Biến thể (quy cách)").click()
    for row, (sku, gtin, grams, price, stock) in enumerate(VARIANTS, start=1):
        page.get_by_label(f"Mã SKU – biến thể {row}").fill(sku)
        page.get_by_label(f"GTIN – biến thể {row}").fill(gtin)
        page.get_by_label(f"Khối lượng (g) – biến thể {row}").fill(str(grams))
        page.get_by_label(f"Giá (đồng) – biến thể {row}").fill(str(price))
        page.get_by_label(f"Tồn kho – biến thể {row}").fill(str(stock))

    # Saved without a category: told which tab and what, with everything typed still there.
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    message = page.locator(".alert-danger")
    expect(message).to_contain_text("“Danh mục”")
    expect(message).to_contain_text("ít nhất một danh mục")
    assert not Product.objects.filter(upc=PARENT["sku"]).exists()
    page.get_by_role("link", name="Biến thể (quy cách)").click()
    expect(page.get_by_label("Mã SKU – biến thể 2")).to_have_value(VARIANTS[1][0])
    expect(page.get_by_label("Giá (đồng) – biến thể 2")).to_have_value(str(VARIANTS[1][3]))

    page.get_by_role("link", name="Danh mục", exact=True).click()
    page.locator("#product_category").get_by_role("combobox").click()  # Oscar's select2 box
    page.get_by_role("option", name="Điều rang muối", exact=True).click()
    category = Category.objects.get(name="Điều rang muối")
    expect(page.locator("#product_category").get_by_label("Danh mục")).to_have_value(str(category.pk))
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã tạo sản phẩm '{PARENT['title']}'")

    # The variants table at 1280 px shows every value whole (names, SKUs and GTINs used to be cut off).
    page.get_by_role("link", name="Biến thể (quy cách)").click()
    expect(page.get_by_label("Tên biến thể – biến thể 2")).to_have_value(f"{PARENT['title']} – 500 g")
    cut_off = page.evaluate(
        "Array.from(document.querySelectorAll('table.variants input.form-control'))"
        ".filter(i => i.value && i.scrollWidth > i.clientWidth).map(i => `${i.name}: ${i.value}`)"
    )
    assert cut_off == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px wider than the window"


def assert_product_saved(bgm):
    parent = Product.objects.get(upc=PARENT["sku"])
    assert parent.structure == Product.PARENT and parent.cooperative == bgm
    assert parent.title_en == PARENT["title_en"] and not parent.stockrecords.exists()
    children = list(parent.children.order_by("upc"))
    assert [child.upc for child in children] == [v[0] for v in VARIANTS]
    for child, (sku, gtin, grams, price, stock) in zip(children, VARIANTS, strict=True):
        assert child.cooperative == bgm and child.gtin == "0" + gtin  # stored as GTIN-14
        assert child.title == f"{PARENT['title']} – {grams} g"
        record = child.stockrecords.get()
        assert (record.partner, record.partner_sku, record.price, record.num_in_stock) == (
            bgm.partner,
            sku,
            price,
            stock,
        )
    return children


def register_lot(page, today):
    page.get_by_role("link", name="Trang quản trị HTX", exact=True).click()  # from Oscar's dashboard back home
    page.get_by_role("button", name="Truy xuất nguồn gốc").click()
    page.get_by_role("link", name="Lô hàng", exact=True).click()
    page.get_by_role("link", name="Thêm Lô hàng").click()
    page.get_by_role("button", name="Chọn sản phẩm").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=f"{PARENT['title']} – 500 g").click()
    expect(page.locator("[data-chooser-title]").first).to_have_text(f"{PARENT['title']} – 500 g")
    page.get_by_label("Mã lô").fill(LOT_CODE)
    page.get_by_label("DEMO-BGM-V01 – Vùng điều hữu cơ Bù Lư (mẫu)").check()
    for label, day in (("Ngày thu hoạch", -40), ("Ngày sản xuất", -6), ("Ngày đóng gói", -5), ("Hạn sử dụng", 360)):
        page.get_by_label(label).fill((today + timedelta(days=day)).isoformat())
        page.keyboard.press("Escape")  # close the date picker
    events = [
        ("Thu hoạch", -40, "Vùng điều hữu cơ Bù Lư"),
        ("Rang và tẩm muối", -6, "Xưởng rang HTX Bù Gia Mập"),
        ("Đóng gói", -5, "Xưởng đóng gói HTX Bù Gia Mập"),
    ]
    for number, (step, day, place) in enumerate(events, start=1):
        page.get_by_role("button", name="Thêm Sự kiện").click()
        event = page.get_by_role("region", name=f"Sự kiện {number}")
        event.get_by_label("Công đoạn").select_option(label=step)
        event.get_by_label("Thời điểm").fill(f"{(today + timedelta(days=day)).isoformat()} 08:00")
        page.keyboard.press("Escape")
        event.get_by_label("Địa điểm", exact=True).fill(place)
    page.get_by_role("button", name="Lưu lại").click()
    page.wait_for_url("**/admin/snippets/catalogue/lot/")
    expect(page.locator(".messages")).to_contain_text(LOT_CODE)


def print_labels(page, desk, lot):
    page.get_by_role("link", name=LOT_CODE, exact=True).click()
    with desk.expect_page() as opened:
        page.get_by_role("link", name="In nhãn QR").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    assert sheet.url.endswith(f"/truy-xuat/lo/{lot.pk}/nhan/")
    expect(sheet.get_by_role("heading", level=1)).to_have_text(f"Tem nhãn lô {LOT_CODE}")
    labels = sheet.locator(".label:not(.label--used)")
    expect(labels).to_have_count(21)  # one A4 sheet of 3 × 7
    first = labels.first
    expect(first).to_contain_text(f"Lô {LOT_CODE}")
    expect(first).to_contain_text(f"(01){lot.product.gtin}(10){LOT_CODE}")
    expect(first).to_contain_text(lot.best_before.strftime("%d/%m/%Y"))

    qr = first.get_by_role("img", name=re.compile("Mã QR truy xuất"))
    served = sheet.request.get(qr.evaluate("img => img.currentSrc"))
    assert served.ok and served.headers["content-type"].startswith("image/svg+xml")
    assert served.text().lstrip().startswith(("<?xml", "<svg"))
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [code.text for code in scanned] == [lot.digital_link]
    assert lot.digital_link.endswith(f"/01/{lot.product.gtin}/10/{LOT_CODE}")

    controls = [
        sheet.get_by_role("button", name="In tem"),
        sheet.get_by_label("Số tem cần in"),
        sheet.get_by_role("banner"),
    ]
    for control in controls:
        expect(control.first).to_be_visible()
    sheet.emulate_media(media="print")
    for control in controls:
        expect(control.first).to_be_hidden()
    expect(first).to_be_visible()
    sheet.close()


def buy_mixed_order(variant):
    """A guest buys two 500 g bags and one bag of HTX hữu cơ Đồng Nai's, through the real checkout."""
    other = (
        StockRecord.objects.filter(partner__code="huucodongnai", num_in_stock__gte=5)
        .select_related("product")
        .first()
        .product
    )
    client = Client()
    add_to_basket(client, variant, 2)
    add_to_basket(client, other, 1)
    place_order(client, to_preview(client, "cod"))
    order = Order.objects.get(lines__product=variant)
    assert {line.partner.code for line in order.lines.all()} == {"bugiamap", "huucodongnai"}
    return order


def hand_line_to_carrier(page, order, variant):
    own = order.lines.get(product=variant)
    other = order.lines.exclude(pk=own.pk).get()
    page.get_by_role("link", name="Trang tổng quan").click()  # the staff home
    to_fulfil = page.get_by_role("region", name="Đơn hàng cần giao")
    expect(to_fulfil).to_contain_text(f"{own.title} × 2")
    expect(to_fulfil).not_to_contain_text(other.title)
    to_fulfil.get_by_role("link", name=order.number, exact=True).click()
    page.wait_for_url(f"**/shop/dashboard/orders/{order.number}/")

    lines = page.locator("#lines")
    expect(lines).to_contain_text(own.title)
    content = page.content()
    assert other.title not in content and other.partner_sku not in content

    page.get_by_label("Đơn vị vận chuyển", exact=True).select_option(label=Carrier.GHN.label)
    page.get_by_label("Mã vận đơn").fill(TRACKING)
    # Pressed before ticking the line: told what to do, and what was typed is still there.
    page.get_by_role("button", name="Ghi sự kiện giao hàng").click()
    expect(page.locator(".alert-danger")).to_contain_text("Chưa chọn dòng hàng nào")
    expect(page.get_by_label("Mã vận đơn")).to_have_value(TRACKING)
    expect(page.get_by_label("Đơn vị vận chuyển", exact=True)).to_have_value(Carrier.GHN.value)
    assert not ShippingEvent.objects.filter(order=order).exists()

    page.get_by_role("checkbox", name=re.compile(re.escape(own.title))).check()
    page.get_by_role("button", name="Ghi sự kiện giao hàng").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi “Đã giao cho đơn vị vận chuyển” cho 1 dòng")
    expect(page.get_by_role("row", name=re.compile(re.escape(own.title))).first).to_contain_text(statuses.SHIPPED)
    events = page.locator("table").filter(has_text="Mã vận đơn").last
    expect(events).to_contain_text(TRACKING)
    expect(events).to_contain_text(Carrier.GHN.label)
    assert other.title not in page.content()
    return own, other


def test_a_cooperative_clerk_adds_a_product_registers_a_lot_prints_labels_and_ships(desk, shop):
    bgm = Cooperative.objects.get(partner__code="bugiamap")
    today = timezone.localdate()
    page = desk.new_page()

    sign_in(page, shop)
    add_product_with_variants(page)
    variants = assert_product_saved(bgm)
    variant = variants[1]  # 500 g

    register_lot(page, today)
    lot = Lot.objects.select_related("product").get(code=LOT_CODE)
    assert lot.product == variant and lot.product.cooperative == bgm
    assert lot.best_before == today + timedelta(days=360)
    assert list(lot.zones.values_list("code", flat=True)) == ["DEMO-BGM-V01"]
    events = list(TraceEvent.objects.filter(lot=lot).order_by("occurred_at"))
    assert [e.step for e in events] == ["harvest", "roasting_salting", "packing"]
    assert [e.local_time.date() for e in events] == [today + timedelta(days=d) for d in (-40, -6, -5)]
    assert set(TraceEvent.objects.for_cooperative(bgm).filter(lot=lot)) == set(events)
    hcdn = Cooperative.objects.get(partner__code="huucodongnai")
    assert not TraceEvent.objects.for_cooperative(hcdn).filter(lot=lot).exists()

    print_labels(page, desk, lot)

    order = buy_mixed_order(variant)
    own, other = hand_line_to_carrier(page, order, variant)
    own.refresh_from_db()
    assert own.status == statuses.SHIPPED
    event = ShippingEvent.objects.get(order=order)
    assert (event.event_type.code, event.carrier, event.tracking_number) == (
        statuses.HANDED_TO_CARRIER,
        Carrier.GHN,
        TRACKING,
    )
    assert list(event.line_quantities.values_list("line_id", "quantity")) == [(own.pk, 2)]
    # Handed over: out of stock for good (25 typed, 2 sent), nothing left allocated.
    assert (variant.stockrecords.get().num_in_stock, variant.stockrecords.get().num_allocated or 0) == (23, 0)
    other.refresh_from_db()
    assert other.status == statuses.PLACED
    assert not other.shipping_event_quantities.exists()

    assert desk.problems == []
