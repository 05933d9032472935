"""Two-factor authentication for staff (shop.staff.twofactor, django-otp TOTP + recovery codes).

Codes are computed from the device's secret at a frozen time (time-machine), as the phone would.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shop.staff import twofactor

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "mat-khau-dung-2026"
# Today at 09:00 in Vietnam: sessions made at a frozen time must still be valid at the real one.
START = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


def code_of(device, at):
    with time_machine.travel(at, tick=False):
        return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.fixture
def admin_user():
    return User.objects.create_user(
        "quantri-thu", "quantri-thu@example.org", PASSWORD, is_superuser=True, is_staff=True
    )


def enrol(client, user, at=START):
    """Turn two-factor on through the settings pages; returns (device, recovery codes)."""
    client.force_login(user)
    with time_machine.travel(at, tick=False):
        assert client.post("/admin/two-factor/", {"action": "start"}).status_code == 302
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post("/admin/two-factor/confirm/", {"code": code_of(device, at)})
        assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/codes/")
        page = client.get(response["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    for code in codes:
        assert code in page
    device.refresh_from_db()
    return device, codes


def test_setting_up_shows_a_qr_code_drawn_by_the_shop_then_asks_for_a_code(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200 and "Đang tắt" in page.content.decode()
    client.post("/admin/two-factor/", {"action": "start"})
    page = client.get("/admin/two-factor/")
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    assert "<svg" in body and "<path" in body
    assert twofactor.secret_for_typing(device) in body
    assert "no-store" in page["Cache-Control"]
    # The QR code carries the otpauth URI with our issuer; nothing is fetched from elsewhere.
    assert "otpauth://totp/" in device.config_url and "issuer=HTX" in device.config_url
    assert "https://" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_wrong_code_does_not_turn_it_on(client, admin_user):
    client.force_login(admin_user)
    with time_machine.travel(START, tick=False):
        client.post("/admin/two-factor/", {"action": "start"})
        response = client.post("/admin/two-factor/confirm/", {"code": "000000"})
    assert response.status_code == 400
    assert "Mã không đúng hoặc đã hết hạn." in response.content.decode()
    assert not twofactor.has_two_factor(admin_user)


def test_enrolling_gives_ten_recovery_codes_shown_once(client, admin_user):
    device, codes = enrol(client, admin_user)
    assert device.confirmed and len(codes) == 10
    again = client.get("/admin/two-factor/codes/").content.decode()
    assert not any(code in again for code in codes)
    # The enrolling session is verified already.
    assert client.get("/admin/").status_code == 200


def test_after_the_password_staff_pages_wait_for_the_code(client, admin_user):
    device, _ = enrol(client, admin_user)
    client.logout()
    at = START + timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        response = client.post("/admin/login/", {"username": admin_user.username, "password": PASSWORD})
        assert response.status_code == 302
        for url in ["/admin/", "/admin/snippets/catalogue/lot/", "/shop/dashboard/", "/django-admin/", "/admin/users/"]:
            held = client.get(url)
            assert held.status_code == 302, url
            assert held["Location"].startswith("/admin/two-factor/verify/?next="), url
        assert client.post("/payment/orders/100001/refund/", {}).status_code == 302
        # Public pages are not held.
        assert client.get("/shop/catalogue/").status_code == 200
        page = client.get("/admin/two-factor/verify/?next=/shop/dashboard/")
        assert page.status_code == 200 and "Mã xác thực" in page.content.decode()
        response = client.post("/admin/two-factor/verify/", {"code": code_of(device, at), "next": "/shop/dashboard/"})
        assert response.status_code == 302 and response["Location"] == "/shop/dashboard/"
    # The session stays verified.
    with time_machine.travel(at + timedelta(hours=3), tick=False):
        assert client.get("/admin/").status_code == 200
        assert client.get("/shop/dashboard/").status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_has_to_wait(client, admin_user):
    device, _ = enrol(client, admin_user)
    client.logout()
    client.force_login(admin_user)
    at = START + timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        wrong = client.post("/admin/two-factor/verify/", {"code": "123456"})
        assert wrong.status_code == 200 and "Mã không đúng hoặc đã hết hạn." in wrong.content.decode()
        assert client.get("/admin/").status_code == 302
        # Straight after a wrong code even the right one waits (1, 2, 4 … seconds).
        throttled = client.post("/admin/two-factor/verify/", {"code": code_of(device, at)})
        assert "Đã nhập sai nhiều lần. Hãy thử lại sau 09:05:01." in throttled.content.decode()
        assert client.get("/admin/").status_code == 302
    with time_machine.travel(at + timedelta(seconds=2), tick=False):
        response = client.post("/admin/two-factor/verify/", {"code": code_of(device, at + timedelta(seconds=2))})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200


def test_wrong_codes_wait_longer_and_longer(admin_user):
    device = TOTPDevice.objects.create(user=admin_user, confirmed=True)
    with time_machine.travel(START, tick=True):
        for _ in range(6):
            device.refresh_from_db()
            device.throttle_increment()
        result = twofactor.check_code(admin_user, code_of(device, START))
    assert not result.ok
    assert result.locked_until == device.throttling_failure_timestamp + timedelta(seconds=32)


def test_a_recovery_code_works_once(client, admin_user):
    _, codes = enrol(client, admin_user)
    client.logout()
    client.force_login(admin_user)
    response = client.post("/admin/two-factor/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=admin_user).count() == 9
    client.logout()
    client.force_login(admin_user)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        again = client.post("/admin/two-factor/verify/", {"code": codes[0]})
    assert "Mã không đúng hoặc đã hết hạn." in again.content.decode()
    assert client.get("/admin/").status_code == 302


def test_turning_it_off_needs_a_code(client, admin_user):
    device, codes = enrol(client, admin_user)
    at = START + timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        refused = client.post("/admin/two-factor/disable/", {"disable-code": "999999"})
        assert refused.status_code == 400
        assert twofactor.has_two_factor(admin_user)
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        response = client.post(
            "/admin/two-factor/disable/", {"disable-code": code_of(device, at + timedelta(minutes=1))}
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert not StaticToken.objects.filter(device__user=admin_user).exists()
    client.logout()
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, admin_user):
    device, old = enrol(client, admin_user)
    response = client.post("/admin/two-factor/codes/", {"codes-code": old[0]})
    assert response.status_code == 302
    new = client.get("/admin/two-factor/codes/").content.decode()
    tokens = set(StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True))
    assert len(tokens) == 10 and not tokens & set(old)
    assert all(token in new for token in tokens)


def test_the_account_page_links_to_the_two_factor_settings(client, clerk):
    client.force_login(clerk)
    body = client.get("/admin/account/").content.decode()
    assert "/admin/two-factor/" in body and "Xác thực hai bước" in body


def test_a_cooperative_clerk_can_turn_it_on_too(client, clerk):
    enrol(client, clerk)
    client.logout()
    client.force_login(clerk)
    assert client.get("/admin/snippets/catalogue/lot/")["Location"].startswith("/admin/two-factor/verify/")


def test_the_next_address_must_be_this_site(client, admin_user):
    device, _ = enrol(client, admin_user)
    client.logout()
    client.force_login(admin_user)
    at = START + timedelta(minutes=2)
    with time_machine.travel(at, tick=False):
        response = client.post(
            "/admin/two-factor/verify/", {"code": code_of(device, at), "next": "https://evil.example/"}
        )
    assert response["Location"] == "/admin/"


class TestRequiredForEveryone:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.STAFF_2FA_REQUIRED = True

    def test_staff_without_it_are_sent_to_set_it_up(self, client, clerk):
        client.force_login(clerk)
        response = client.get("/admin/snippets/catalogue/lot/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2Fsnippets%2Fcatalogue%2Flot%2F"
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "Tài khoản quản trị phải bật xác thực hai bước trước khi tiếp tục." in page.content.decode()

    def test_after_setting_it_up_they_carry_on(self, client, clerk):
        client.force_login(clerk)
        with time_machine.travel(START, tick=False):
            client.post("/admin/two-factor/", {"action": "start", "next": "/admin/snippets/catalogue/lot/"})
            device = TOTPDevice.objects.get(user=clerk)
            response = client.post(
                "/admin/two-factor/confirm/", {"code": code_of(device, START), "next": "/admin/snippets/catalogue/lot/"}
            )
            codes_page = client.get(response["Location"]).content.decode()
        assert 'href="/admin/snippets/catalogue/lot/"' in codes_page
        assert client.get("/admin/snippets/catalogue/lot/").status_code == 200

    def test_it_cannot_be_turned_off(self, client, admin_user):
        device, codes = enrol(client, admin_user)
        response = client.post("/admin/two-factor/disable/", {"disable-code": codes[0]})
        assert response.status_code == 302
        assert twofactor.has_two_factor(admin_user)

    def test_customers_are_not_asked(self, client):
        customer = User.objects.create_user("khach", "khach@example.org", PASSWORD)
        client.force_login(customer)
        assert client.get("/shop/accounts/").status_code in (200, 302)
        assert "two-factor" not in client.get("/shop/accounts/").get("Location", "")
