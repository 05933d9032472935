"""The staff home at /admin/: per cooperative, orders to fulfil, low stock, expiring certificates,
lots on hold and this month's sales, with none of the other cooperative's rows and a fixed number
of queries per panel whatever the number of orders.

Cooperative A is HTX hữu cơ Đồng Nai (its manager logs in), B is HTX Bù Gia Mập.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from catalog.models import Certification, Cooperative, Lot
from catalog.panels import ExpiringCertificatesPanel, LotsOnHoldPanel, workspace_cooperatives
from catalog.scoping import Role, assign
from shop.dashboard.panels import LowStockPanel, MonthlySalesPanel, OrdersToFulfilPanel
from shop.order import statuses
from tests.factories import create_product

pytestmark = pytest.mark.django_db

User = get_user_model()
Basket = get_model("basket", "Basket")
Partner = get_model("partner", "Partner")
Order = get_model("order", "Order")
Default = get_class("partner.strategy", "Default")
PANELS = [OrdersToFulfilPanel, LowStockPanel, MonthlySalesPanel, ExpiringCertificatesPanel, LotsOnHoldPanel]


def order_of(*items):
    """An order of (product, quantity) items, placed now."""
    basket = Basket.objects.create()
    basket.strategy = Default()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return create_order(basket=basket)


def home(client, query=""):
    response = client.get("/admin/" + query)
    assert response.status_code == 200
    return response.content.decode()


def logged_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def a(hcdn):
    return hcdn


@pytest.fixture
def b(bgm):
    return bgm


@pytest.fixture
def world(a, b):
    """For each of A and B: an order to fulfil, a low-stock product, an expiring certificate, a lot on hold."""
    today = timezone.localdate()
    rows = {}
    for cooperative, tag in ((a, "A"), (b, "B")):
        product = create_product(
            title=f"Điều sắp hết {tag}", price=200000, num_in_stock=4, partner_code=cooperative.partner.code
        )
        product.cooperative = cooperative
        product.save()
        plenty = create_product(
            title=f"Điều còn nhiều {tag}", price=100000, num_in_stock=500, partner_code=cooperative.partner.code
        )
        order = order_of((product, 1), (plenty, 2))
        certificate = Certification.objects.create(
            kind=Certification.Kind.VIETGAP,
            number=f"VG-SAP-HET-{tag}",
            certifying_body="Trung tâm thử",
            cooperative=cooperative,
            valid_from=today - timedelta(days=300),
            expires_on=today + timedelta(days=30),
        )
        lot = Lot.objects.create(
            product=product, code=f"HOLD{tag}1", status=Lot.Status.ON_HOLD, status_note="Chờ kiểm nghiệm"
        )
        rows[tag] = {"product": product, "plenty": plenty, "order": order, "certificate": certificate, "lot": lot}
    return rows


# What each sees
# ------------------------------------------------------------------------------


def test_a_member_sees_every_panel_with_own_rows_and_none_of_the_others(world):
    html = home(logged_in("huucodongnai"))
    a, b = world["A"], world["B"]
    for heading in (
        "Đơn hàng cần giao",
        "Sản phẩm sắp hết hàng",
        "Doanh số tháng này",
        "Chứng nhận sắp hết hạn",
        "Lô hàng đang tạm giữ",
    ):
        assert heading in html, heading
    assert f"/shop/dashboard/orders/{a['order'].number}/" in html
    assert "Điều sắp hết A" in html and "VG-SAP-HET-A" in html and "HOLDA1" in html
    assert str(b["order"].number) not in html
    assert "Điều sắp hết B" not in html and "VG-SAP-HET-B" not in html and "HOLDB1" not in html
    assert "Điều còn nhiều A" in html  # listed under the order to fulfil, not as low stock


def test_naming_the_other_cooperative_in_the_query_string_changes_nothing(world):
    html = home(logged_in("huucodongnai"), "?htx=bugiamap")
    assert str(world["B"]["order"].number) not in html and "VG-SAP-HET-B" not in html
    assert str(world["A"]["order"].number) in html
    assert 'name="htx"' not in html  # the choice is the platform admin's


def test_the_platform_admin_sees_both_side_by_side_or_chooses_one(world, a, b):
    admin = logged_in("admin")
    html = home(admin)
    assert str(world["A"]["order"].number) in html and str(world["B"]["order"].number) in html
    assert a.name in html and b.name in html and "htx-sections--side-by-side" in html
    assert 'name="htx"' in html
    one = home(admin, f"?htx={b.slug}")
    assert str(world["B"]["order"].number) in one and str(world["A"]["order"].number) not in one
    assert "htx-sections--side-by-side" not in one


def test_orders_to_fulfil_are_unshipped_lines_oldest_first_linking_to_the_order(world, a):
    a_rows = world["A"]
    newer = order_of((a_rows["plenty"], 1))
    Order.objects.filter(pk=a_rows["order"].pk).update(date_placed=timezone.now() - timedelta(days=3))
    cancelled = order_of((a_rows["plenty"], 1))
    cancelled.set_status(statuses.CANCELLED)
    shipped = order_of((a_rows["plenty"], 1))
    shipped.lines.update(status=statuses.SHIPPED)
    section = panel(OrdersToFulfilPanel, "huucodongnai").sections()[0]
    numbers = [row["order__number"] for row in section["rows"]]
    assert numbers == [str(a_rows["order"].number), str(newer.number)]
    assert section["count"] == 2
    assert section["rows"][0]["url"] == f"/shop/dashboard/orders/{a_rows['order'].number}/"
    assert {line["title"] for line in section["rows"][0]["lines"]} == {"Điều sắp hết A", "Điều còn nhiều A"}


def test_low_stock_uses_free_units_and_the_records_own_threshold(world, settings):
    settings.LOW_STOCK_THRESHOLD = 10
    product = world["A"]["product"]  # 4 in stock, 1 allocated: 3 free
    rows = panel(LowStockPanel, "huucodongnai").sections()[0]["rows"]
    row = next(r for r in rows if r["record"].product_id == product.pk)
    assert row["free"] == 3 and row["record"].threshold == 10
    plenty = world["A"]["plenty"].stockrecords.get()
    plenty.low_stock_threshold = 600
    plenty.save()
    titles = [r["title"] for r in panel(LowStockPanel, "huucodongnai").sections()[0]["rows"]]
    assert "Điều còn nhiều A" in titles
    settings.LOW_STOCK_THRESHOLD = 3
    titles = [r["title"] for r in panel(LowStockPanel, "huucodongnai").sections()[0]["rows"]]
    assert "Điều sắp hết A" not in titles  # 3 free is not below 3


def test_expiring_certificates_follow_the_certificate_status_rule(world, a):
    today = timezone.localdate()
    base = {"kind": Certification.Kind.VIETGAP, "certifying_body": "TT", "cooperative": a}
    Certification.objects.create(number="VG-60", expires_on=today + timedelta(days=60), **base)
    Certification.objects.create(number="VG-61", expires_on=today + timedelta(days=61), **base)
    Certification.objects.create(number="VG-EXPIRED", expires_on=today - timedelta(days=1), **base)
    Certification.objects.create(
        number="VG-SUSPENDED", expires_on=today + timedelta(days=10), suspended_from=today - timedelta(days=1), **base
    )
    rows = panel(ExpiringCertificatesPanel, "huucodongnai").sections()[0]["rows"]
    numbers = [row["certificate"].number for row in rows]
    assert "VG-SAP-HET-A" in numbers and "VG-60" in numbers
    assert not {"VG-61", "VG-EXPIRED", "VG-SUSPENDED"} & set(numbers)
    for row in rows:
        assert row["certificate"].status(today) == "expiring"
    assert numbers.index("VG-SAP-HET-A") < numbers.index("VG-60")  # soonest first


def test_this_months_sales_per_day_with_total_and_orders(world, a):
    a_rows = world["A"]
    second = order_of((a_rows["plenty"], 3))
    cancelled = order_of((a_rows["product"], 1))
    cancelled.set_status(statuses.CANCELLED)
    last_month = order_of((a_rows["plenty"], 1))
    Order.objects.filter(pk=last_month.pk).update(date_placed=timezone.now() - timedelta(days=40))
    section = panel(MonthlySalesPanel, "huucodongnai").sections()[0]
    expected = 200000 + 2 * 100000 + 3 * 100000
    assert section["total"] == expected and section["orders"] == 2
    today = timezone.localdate()
    assert len(section["points"]) == today.day
    assert dict(section["points"])[str(today.day)] == expected
    html = home(logged_in("huucodongnai"))
    assert "htx-chart" in html and "700.000\xa0₫" in html
    assert second.number  # counted above


# Empty states and query counts
# ------------------------------------------------------------------------------


@pytest.fixture
def newcomer():
    """A cooperative just added to the platform, with its manager and nothing else."""
    partner = Partner.objects.create(code="htx-moi", name="HTX Mới thử")
    cooperative = Cooperative.objects.create(partner=partner, slug="htx-moi", name="HTX Mới thử")
    user = User.objects.create_user("htxmoi", "moi@example.org", "x")
    assign(user, cooperative, Role.MANAGER)
    return cooperative, user


def test_empty_states_read_well(newcomer):
    _, user = newcomer
    client = Client()
    client.force_login(user)
    html = home(client)
    assert "Không có đơn nào đang chờ giao" in html
    assert "Mọi sản phẩm đều còn từ 10 đơn vị trở lên" in html
    assert "Không có chứng nhận nào hết hạn" in html
    assert "Không có lô nào đang tạm giữ" in html
    assert "Chưa có số liệu trong khoảng thời gian này" in html


def panel(cls, username, query=""):
    request = RequestFactory().get("/admin/" + query)
    request.user = User.objects.get(username=username)
    return cls(request, workspace_cooperatives(request))


def queries(cls, username):
    instance = panel(cls, username)
    with CaptureQueriesContext(connection) as captured:
        instance.render_html({})
    return len(captured)


@pytest.mark.parametrize("cls", PANELS, ids=[cls.__name__ for cls in PANELS])
def test_each_panel_runs_a_fixed_number_of_queries(newcomer, cls):
    cooperative, user = newcomer
    today = timezone.localdate()
    products = [
        create_product(title=f"Điều mới {i}", price=150000, num_in_stock=50, partner_code="htx-moi") for i in range(2)
    ]
    for product in products:
        product.cooperative = cooperative
        product.save()
    order_of((products[0], 1))
    Certification.objects.create(
        kind="vietgap",
        number="VG-M-0",
        certifying_body="TT",
        cooperative=cooperative,
        expires_on=today + timedelta(days=9),
    )
    Lot.objects.create(product=products[0], code="MOI0", status=Lot.Status.ON_HOLD)
    few = queries(cls, "htxmoi")
    for i in range(1, 8):
        product = create_product(title=f"Điều thêm {i}", price=90000, num_in_stock=2, partner_code="htx-moi")
        product.cooperative = cooperative
        product.save()
        order_of((product, 1), (products[i % 2], 1))
        Certification.objects.create(
            kind="vietgap",
            number=f"VG-M-{i}",
            certifying_body="TT",
            cooperative=cooperative,
            expires_on=today + timedelta(days=9 + i),
        )
        Lot.objects.create(product=product, code=f"MOI{i}", status=Lot.Status.ON_HOLD)
    assert queries(cls, "htxmoi") == few
    assert few <= 4


def test_the_admins_panels_cost_the_same_whatever_the_orders(world, a):
    for cls in PANELS:
        few = queries(cls, "admin")
        order_of((world["A"]["plenty"], 1))
        order_of((world["B"]["plenty"], 1), (world["A"]["plenty"], 2))
        assert queries(cls, "admin") == few, cls.__name__


def test_amounts_are_whole_dong(world):
    section = panel(MonthlySalesPanel, "huucodongnai").sections()[0]
    assert all(isinstance(value, int) for _, value in section["points"])
    assert Decimal(section["total"]) == Decimal(400000)
