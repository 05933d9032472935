"""The fair report in the Wagtail admin: figures, chart, CSV, and who sees which cooperative's part."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from catalog.models import Cooperative
from shop.fairs.models import FairCount, OrderAttribution
from shop.order import statuses
from tests.factories import create_fair, create_product

pytestmark = pytest.mark.django_db

User = get_user_model()
Basket = get_model("basket", "Basket")
Default = get_class("partner.strategy", "Default")


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    pass


@pytest.fixture
def goods():
    """One product per cooperative, with prices no other figure on the page can be confused with."""
    return {
        "huucodongnai": create_product(
            title="Điều rang hữu cơ báo cáo", price=111000, partner_code="huucodongnai", num_in_stock=50
        ),
        "bugiamap": create_product(
            title="Điều Bù Gia Mập báo cáo", price=777000, partner_code="bugiamap", num_in_stock=50
        ),
    }


@pytest.fixture
def fair(goods):
    return create_fair("HCM2026", products=goods.values())


def attributed_order(fair, *products, days_ago=0, status=None):
    basket = Basket.objects.create()
    basket.strategy = Default()
    for product in products:
        basket.add_product(product, 1)
    order = create_order(basket=basket)
    placed = timezone.now() - timedelta(days=days_ago)
    type(order).objects.filter(pk=order.pk).update(date_placed=placed, **({"status": status} if status else {}))
    OrderAttribution.objects.create(
        order=order, fair_key=fair.translation_key, code=fair.code, source="link", touched_at=placed
    )
    return order


@pytest.fixture
def sales(fair, goods):
    """Two mixed orders today, one of Bù Gia Mập only yesterday, one cancelled; and some views and clicks."""
    hcd, bgm = goods["huucodongnai"], goods["bugiamap"]
    attributed_order(fair, hcd, bgm)
    attributed_order(fair, hcd, bgm)
    attributed_order(fair, bgm, days_ago=1)
    attributed_order(fair, hcd, status=statuses.CANCELLED)
    for _ in range(5):
        FairCount.bump(fair.translation_key, FairCount.Kind.EMBED_VIEW)
    FairCount.bump(fair.translation_key, FairCount.Kind.EMBED_CLICK)
    FairCount.bump(fair.translation_key, FairCount.Kind.LINK_CLICK, day=timezone.localdate() - timedelta(days=1))


@pytest.fixture
def member_a():
    """The manager of HTX hữu cơ Đồng Nai (demo data)."""
    return User.objects.get(username="huucodongnai")


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_admin_sees_every_cooperative_and_the_totals(admin_client, fair, sales):
    html = admin_client.get(f"/admin/hoi-cho/{fair.pk}/").content.decode()
    # Revenue: 2 × (111.000 + 777.000) + 777.000 = 2.553.000 ₫; the cancelled order does not count.
    assert "2.553.000\xa0₫" in html
    assert "2.331.000\xa0₫" in html and "222.000\xa0₫" in html  # per cooperative
    assert "Điều rang hữu cơ báo cáo" in html and "Điều Bù Gia Mập báo cáo" in html
    assert '<figure class="htx-chart">' in html and "<svg" in html
    rows = csv_rows(admin_client.get(f"/admin/hoi-cho/{fair.pk}/bao-cao.csv"))
    assert rows[0] == ["date", "embed_views", "embed_clicks", "link_clicks", "orders", "revenue_vnd"]
    today, yesterday = timezone.localdate(), timezone.localdate() - timedelta(days=1)
    by_day = {row[0]: row[1:] for row in rows[1:]}
    assert by_day[today.isoformat()] == ["5", "1", "0", "2", "1776000"]
    assert by_day[yesterday.isoformat()] == ["0", "0", "1", "1", "777000"]
    assert by_day["total"] == ["5", "1", "1", "3", "2553000"]
    # Every day from a week before the fair to a week after, plus the total row.
    assert len(rows) == 1 + (fair.end_date - fair.start_date).days + 1 + 14 + 1


def test_the_admin_can_narrow_to_one_cooperative(admin_client, fair, sales):
    slug = Cooperative.objects.get(partner__code="bugiamap").slug
    html = admin_client.get(f"/admin/hoi-cho/{fair.pk}/?hop_tac_xa={slug}").content.decode()
    assert "2.331.000\xa0₫" in html and "Điều rang hữu cơ báo cáo" not in html and "2.553.000" not in html
    rows = csv_rows(admin_client.get(f"/admin/hoi-cho/{fair.pk}/bao-cao.csv?hop_tac_xa={slug}"))
    assert rows[-1] == ["total", "5", "1", "1", "3", "2331000"]


def test_a_member_sees_only_their_cooperatives_lines_and_revenue(client, member_a, fair, sales):
    client.force_login(member_a)
    html = client.get(f"/admin/hoi-cho/{fair.pk}/").content.decode()
    assert "222.000\xa0₫" in html and "Điều rang hữu cơ báo cáo" in html
    for other in ("777.000", "2.553.000", "2.331.000", "1.776.000", "Điều Bù Gia Mập báo cáo"):
        assert other not in html, other
    # Asking for the other cooperative changes nothing.
    slug = Cooperative.objects.get(partner__code="bugiamap").slug
    assert client.get(f"/admin/hoi-cho/{fair.pk}/?hop_tac_xa={slug}").content.decode().count("777.000") == 0
    rows = csv_rows(client.get(f"/admin/hoi-cho/{fair.pk}/bao-cao.csv"))
    assert rows[-1] == ["total", "5", "1", "1", "2", "222000"]  # two orders held their lines
    products = csv_rows(client.get(f"/admin/hoi-cho/{fair.pk}/bao-cao.csv?bang=san-pham"))
    assert [row[1] for row in products[1:]] == ["Điều rang hữu cơ báo cáo"]
    assert products[1][3:] == ["2", "222000"]


def test_the_index_lists_fairs_with_the_viewers_figures(admin_client, client, member_a, fair, sales):
    html = admin_client.get("/admin/hoi-cho/").content.decode()
    assert fair.title in html and "HCM2026" in html and "2.553.000\xa0₫" in html
    assert "DEMO-OCOPDN" in html, "every fair, with or without sales"
    client.force_login(member_a)
    html = client.get("/admin/hoi-cho/").content.decode()
    assert "222.000\xa0₫" in html and "2.553.000" not in html


def test_only_admins_and_members_may_open_reports(client, fair):
    assert client.get("/admin/hoi-cho/").status_code == 302  # to the login
    editor = User.objects.create_user("bientap", "bientap@example.org", "x", is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in ("/admin/hoi-cho/", f"/admin/hoi-cho/{fair.pk}/", f"/admin/hoi-cho/{fair.pk}/bao-cao.csv"):
        response = client.get(url)
        # Wagtail turns "permission denied" into a redirect to the admin home with a message.
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), url
    assert "/admin/hoi-cho/" not in client.get("/admin/").content.decode()


def test_the_reports_menu_links_to_fair_reports(admin_client, client, member_a):
    assert "/admin/hoi-cho/" in admin_client.get("/admin/").content.decode()
    client.force_login(member_a)
    assert "/admin/hoi-cho/" in client.get("/admin/").content.decode()


def test_unknown_fair_is_404(admin_client):
    assert admin_client.get("/admin/hoi-cho/999999/").status_code == 404


def test_queries_do_not_grow_with_orders_or_days(admin_client, fair, goods):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(f"/admin/hoi-cho/{fair.pk}/").status_code == 200
        return len(ctx)

    attributed_order(fair, goods["bugiamap"])
    few = queries()
    for days_ago in range(1, 12):
        attributed_order(fair, goods["bugiamap"], goods["huucodongnai"], days_ago=days_ago)
        FairCount.bump(fair.translation_key, FairCount.Kind.EMBED_VIEW, day=timezone.localdate() - timedelta(days_ago))
    assert queries() == few


def test_empty_report_says_so(admin_client, fair):
    html = admin_client.get(f"/admin/hoi-cho/{fair.pk}/").content.decode()
    assert "Chưa có đơn hàng nào đến từ hội chợ này." in html and "Chưa có số liệu" in html


def test_csv_text_is_never_a_spreadsheet_formula():
    from shop.fairs.views import text_cell

    assert text_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [text_cell(v) for v in ("+1", "-1", "@A", "Điều rang", None)] == ["'+1", "'-1", "'@A", "Điều rang", ""]
