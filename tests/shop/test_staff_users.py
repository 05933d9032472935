"""Staff accounts in the Wagtail admin: one form creates the user with cooperative and role
(catalog.scoping.assign), the list shows them, the platform admin resets two-factor; and the
audit report (Reports → Nhật ký thay đổi) is the platform admin's only."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.core.loading import get_model

from catalog.models import CooperativeMembership, Lot
from catalog.scoping import ROLE_GROUPS

pytestmark = pytest.mark.django_db

User = get_user_model()
StockRecord = get_model("partner", "StockRecord")
Role = CooperativeMembership.Role


def new_user(**extra):
    return {
        "username": "nv-moi",
        "email": "nv-moi@example.org",
        "first_name": "Lan",
        "last_name": "Nguyễn",
        "password1": "mat-khau-rat-dai-2026",
        "password2": "mat-khau-rat-dai-2026",
        **extra,
    }


def test_one_form_creates_the_user_with_membership_group_and_partner(admin_client, bgm):
    response = admin_client.post("/admin/users/new/", new_user(cooperative=bgm.pk, role=Role.STAFF))
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="nv-moi")
    membership = user.cooperative_membership
    assert (membership.cooperative, membership.role) == (bgm, Role.STAFF)
    # The role's permissions, and the staff group of the cooperative's workspace (its pages and media).
    assert set(user.groups.values_list("name", flat=True)) == {
        ROLE_GROUPS[Role.STAFF],
        f"{bgm.name} · {ROLE_GROUPS[Role.STAFF]}",
    }
    assert list(user.partners.all()) == [bgm.partner]
    assert not user.is_staff and not user.is_superuser
    assert user.has_perm("wagtailadmin.access_admin")


def test_the_form_shows_the_fields_in_vietnamese(admin_client):
    body = admin_client.get("/admin/users/new/").content.decode()
    assert "Hợp tác xã" in body and "Vai trò" in body


def test_a_platform_user_needs_no_cooperative(admin_client):
    response = admin_client.post("/admin/users/new/", new_user(is_superuser="on"))
    assert response.status_code == 302
    user = User.objects.get(username="nv-moi")
    assert user.is_superuser and not CooperativeMembership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"role": Role.STAFF}, "cooperative"),
        ({"cooperative": "COOP"}, "role"),
        ({"cooperative": "COOP", "role": Role.MANAGER, "is_superuser": "on"}, "cooperative"),
    ],
)
def test_half_a_membership_is_refused_with_a_message(admin_client, bgm, extra, field):
    extra = {key: (bgm.pk if value == "COOP" else value) for key, value in extra.items()}
    response = admin_client.post("/admin/users/new/", new_user(**extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username="nv-moi").exists()


def test_editing_moves_a_user_to_the_other_cooperative_and_back_to_none(admin_client, bgm, hcdn):
    user = User.objects.get(username="bugiamap")
    url = f"/admin/users/edit/{user.pk}/"
    form = admin_client.get(url).context["form"]
    assert form.initial["cooperative"] == bgm.pk and form.initial["role"] == Role.STAFF
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Bù",
        "last_name": user.last_name or "Gia Mập",
        "is_active": "on",
        "cooperative": hcdn.pk,
        "role": Role.MANAGER,
    }
    assert admin_client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert user.cooperative_membership.cooperative == hcdn
    assert list(user.partners.all()) == [hcdn.partner]
    # The role's group, and the manager group of the new cooperative's workspace (pages, media): no Bù Gia Mập's.
    assert set(user.groups.values_list("name", flat=True)) == {
        ROLE_GROUPS[Role.MANAGER],
        f"{hcdn.name} · {ROLE_GROUPS[Role.MANAGER]}",
    }
    assert admin_client.post(url, {**data, "cooperative": "", "role": ""}).status_code == 302
    user = User.objects.get(pk=user.pk)
    assert not CooperativeMembership.objects.filter(user=user).exists()
    assert not user.partners.exists() and not user.groups.exists()


def test_the_user_list_shows_cooperative_and_role_in_one_query_for_them(
    admin_client, bgm, django_assert_max_num_queries
):
    body = admin_client.get("/admin/users/").content.decode()
    assert bgm.name in body and "Nhân viên HTX" in body and "Quản lý HTX" in body
    for n in range(15):
        user = User.objects.create_user(f"nv-{n}", f"nv-{n}@example.org", "x")
        CooperativeMembership.objects.create(user=user, cooperative=bgm, role=Role.STAFF)
    with django_assert_max_num_queries(40) as queries:
        admin_client.get("/admin/users/")
    assert not [q for q in queries.captured_queries if "catalog_cooperativemembership" in q["sql"].lower()][1:]


def test_a_cooperative_manager_cannot_create_users(client, bgm):
    client.force_login(User.objects.get(username="huucodongnai"))
    response = client.post("/admin/users/new/", new_user(cooperative=bgm.pk, role=Role.MANAGER))
    assert response.status_code in (302, 403)
    assert not User.objects.filter(username="nv-moi").exists()


def test_the_platform_admin_resets_a_users_two_factor(admin_client):
    user = User.objects.get(username="bugiamap")
    TOTPDevice.objects.create(user=user, confirmed=True)
    StaticDevice.objects.create(user=user, confirmed=True).token_set.create(token="abcdefgh")
    url = f"/admin/users/edit/{user.pk}/"
    form = admin_client.get(url).context["form"]
    assert "reset_two_factor" in form.fields
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "Bù",
        "last_name": "Gia Mập",
        "is_active": "on",
        "cooperative": form.initial["cooperative"],
        "role": form.initial["role"],
        "reset_two_factor": "on",
    }
    assert admin_client.post(url, data).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert "reset_two_factor" not in admin_client.get(url).context["form"].fields


# THE AUDIT REPORT
# ------------------------------------------------------------------------------
REPORT = "/admin/reports/audit/"


@pytest.fixture
def changes(bgm):
    record = StockRecord.objects.filter(partner=bgm.partner).first()
    record.price = 250000
    record.save()
    record.price = 265000
    record.save()
    lot = Lot.objects.filter(product__cooperative=bgm).first()
    lot.status = Lot.Status.ON_HOLD
    lot.save()
    return record, lot


def test_the_report_shows_old_and_new_values_readably(admin_client, changes):
    record, lot = changes
    response = admin_client.get(REPORT)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nhật ký thay đổi" in body
    # Money in đồng through Oscar's currency filter; choices by their label.
    assert "250.000\xa0₫" in body and "265.000\xa0₫" in body
    assert "Đang lưu hành → Tạm giữ" in body


def test_the_report_filters_by_model_object_user_and_date(admin_client, changes):
    record, lot = changes
    lot_type = ContentType.objects.get_for_model(Lot)
    body = admin_client.get(REPORT, {"content_type": lot_type.pk}).content.decode()
    assert "Tạm giữ" in body and "265.000" not in body
    body = admin_client.get(
        REPORT, {"object": str(record.pk), "content_type": ContentType.objects.get_for_model(StockRecord).pk}
    ).content.decode()
    assert "265.000" in body and "Tạm giữ" not in body
    admin = User.objects.get(username="admin")
    with set_actor(admin):
        record.price = 270000
        record.save()
    body = admin_client.get(REPORT, {"actor": admin.pk}).content.decode()
    assert "270.000" in body
    assert "Tạm giữ" not in body  # made by code, with no actor
    body = admin_client.get(REPORT, {"timestamp_from": "2001-01-01", "timestamp_to": "2001-01-02"}).content.decode()
    assert "Không có thay đổi nào khớp với bộ lọc." in body


def test_the_report_exports_a_spreadsheet(admin_client, changes):
    response = admin_client.get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "265.000" in text and "Thay đổi" in text


def test_the_report_is_in_the_reports_menu_of_platform_admins_only(admin_client, client):
    assert REPORT in admin_client.get("/admin/").content.decode()
    client.force_login(User.objects.get(username="huucodongnai"))
    assert REPORT not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("username", ["huucodongnai", "bugiamap"])
def test_cooperative_members_get_403(client, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(REPORT).status_code == 403
    assert client.get(REPORT + "results/").status_code == 403
    assert client.get(REPORT, {"export": "csv"}).status_code == 403


def test_the_report_needs_a_login(client):
    assert client.get(REPORT).status_code == 302


def test_the_report_page_does_not_query_per_row(admin_client, bgm, django_assert_max_num_queries):
    for record in StockRecord.objects.filter(partner=bgm.partner)[:10]:
        record.price = record.price + 1000
        record.save()
    with django_assert_max_num_queries(45):
        assert admin_client.get(REPORT).status_code == 200
    assert LogEntry.objects.count() >= 10


def test_a_new_row_shows_its_values_without_arrows(admin_client, bgm):
    record = StockRecord.objects.filter(partner=bgm.partner).first()
    new = StockRecord.objects.create(
        partner=bgm.partner, product=record.product, partner_sku="DEMO-AUDIT-NEW", price=199000, num_in_stock=4
    )
    content_type = ContentType.objects.get_for_model(StockRecord)
    body = admin_client.get(REPORT, {"content_type": content_type.pk, "object": str(new.pk)}).content.decode()
    assert "Tạo mới" in body and "DEMO-AUDIT-NEW" in body and "199.000\xa0₫" in body
    assert "→ 199.000" not in body and "— →" not in body


def test_the_report_searches_names_and_users(admin_client, changes):
    record, lot = changes
    body = admin_client.get(REPORT, {"q": lot.code}).content.decode()
    assert "Tạm giữ" in body and "265.000" not in body
