"""Failed-login limits (django-axes, shop.staff.lockout) on every login form of the site.

The limit is LOGIN_FAILURE_LIMIT (5) failures of one account from one address within
LOGIN_LOCKOUT_MINUTES (15): the fifth wrong password gets the lockout page (429, Vietnamese, says
when to try again), the right password is refused until then, and an unknown account looks the same.
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils import timezone

from shop.staff.lockout import lockout_parameters

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "mat-khau-dung-2026"

# name -> (login URL, POST data for (username, password), the user's login name, where success goes)
LOGINS = {
    "wagtail admin": ("/admin/login/", lambda u, p: {"username": u, "password": p}, "username"),
    "shop account": (
        "/shop/accounts/login/",
        lambda u, p: {"login-username": u, "login-password": p, "login_submit": "1"},
        "email",
    ),
    "django admin": ("/django-admin/login/", lambda u, p: {"username": u, "password": p}, "username"),
    "oscar dashboard": ("/shop/dashboard/login/", lambda u, p: {"username": u, "password": p}, "username"),
}


@pytest.fixture
def user():
    return User.objects.create_user(
        "nhanvien-thu", email="nhanvien-thu@example.org", password=PASSWORD, is_staff=True, is_superuser=True
    )


def attempt(client, name, login, password):
    url, data, _ = LOGINS[name]
    return client.post(url, data(login, password))


def login_name(user, name):
    return getattr(user, LOGINS[name][2])


def is_lockout(response):
    return response.status_code == 429 and "Hãy thử lại sau" in response.content.decode()


@pytest.mark.parametrize("name", list(LOGINS))
def test_four_failures_do_not_lock_and_the_fifth_does(client, user, name):
    login = login_name(user, name)
    for _ in range(4):
        response = attempt(client, name, login, "sai-mat-khau")
        assert response.status_code == 200, "a wrong password shows the form again"
        assert not is_lockout(response)
    response = attempt(client, name, login, "sai-mat-khau")
    assert is_lockout(response)
    # Now even the right password is refused, without being checked.
    response = attempt(client, name, login, PASSWORD)
    assert is_lockout(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["wagtail admin", "shop account"])
def test_four_failures_then_the_right_password_logs_in(client, user, name):
    login = login_name(user, name)
    for _ in range(4):
        attempt(client, name, login, "sai-mat-khau")
    response = attempt(client, name, login, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # The success cleared the count: the next mistakes start from zero.
    assert not AccessAttempt.objects.exists()


def test_email_and_username_count_as_one_account(client, user):
    for _ in range(3):
        attempt(client, "shop account", user.email.upper(), "sai")
    for _ in range(2):
        response = attempt(client, "wagtail admin", user.username, "sai")
    assert is_lockout(response)


def test_the_lockout_page_says_when_to_try_again_in_vietnamese(client, user):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0)), tick=False):
        for _ in range(5):
            response = attempt(client, "wagtail admin", user.username, "sai")
    body = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "Đăng nhập sai 5 lần liên tiếp nên tạm thời bị khoá." in body
    # 09:00 in Vietnam + 15 minutes.
    assert "Hãy thử lại sau 09:15 (khoảng 15 phút nữa)." in body


def test_the_shop_lockout_page_follows_the_language_of_the_url(client, user):
    for _ in range(5):
        response = client.post(
            "/en/shop/accounts/login/",
            {"login-username": user.email, "login-password": "wrong", "login_submit": "1"},
        )
    assert response.status_code == 429
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()
    assert "staff/lockout.html" in [t.name for t in response.templates]


def test_an_unknown_account_is_locked_out_the_same_way(client, user):
    def five(login):
        for _ in range(5):
            response = attempt(client, "wagtail admin", login, "sai")
        return response

    def page(response):
        body = response.content.decode()
        return body[body.index("<main") : body.index("</main>")]

    known, unknown = five(user.username), five("khong-ton-tai")
    assert known.status_code == unknown.status_code == 429
    assert page(known) == page(unknown)
    assert user.username not in known.content.decode()


def test_the_lock_opens_after_the_window(client, user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "wagtail admin", user.username, "sai")
    with time_machine.travel(start + timedelta(minutes=14, seconds=59), tick=False):
        assert is_lockout(attempt(client, "wagtail admin", user.username, PASSWORD))
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        response = attempt(client, "wagtail admin", user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_blocked_try_does_not_push_the_unlock_time_back(client, user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "wagtail admin", user.username, "sai")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert is_lockout(attempt(client, "wagtail admin", user.username, "sai"))
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert attempt(client, "wagtail admin", user.username, PASSWORD).status_code == 302


def test_the_same_account_from_another_address_is_not_locked(client, user):
    for _ in range(5):
        attempt(client, "wagtail admin", user.username, "sai")
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302


def test_the_address_behind_the_proxy_is_the_one_counted(client, user):
    """Behind nginx every REMOTE_ADDR is the proxy's: the address it appended is counted instead."""
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": user.username, "password": "sai"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    assert AccessAttempt.objects.get(username=user.username).ip_address == "198.51.100.7"
    other_visitor = client.post(
        "/admin/login/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other_visitor.status_code == 302


def test_the_checkout_sign_in_is_counted_too(client, user):
    """Oscar's checkout gateway authenticates without the request unless given it; ours passes it."""
    from tests.factories import create_product

    product = create_product()
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    data = {"username": user.email, "password": "sai", "options": "existing"}
    for _ in range(4):
        response = client.post("/shop/checkout/", data)
        assert response.status_code == 200
    assert is_lockout(client.post("/shop/checkout/", data))


def test_the_checkout_sign_in_still_signs_in(client, user):
    from tests.factories import create_product

    product = create_product()
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.post("/shop/checkout/", {"username": user.email, "password": PASSWORD, "options": "existing"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "text, parameters",
    [
        ("username+ip_address", [["username", "ip_address"]]),
        ("ip_address, username+ip_address", ["ip_address", ["username", "ip_address"]]),
        ("username", ["username"]),
    ],
)
def test_lockout_parameters_are_read_from_the_environment(text, parameters):
    assert lockout_parameters(text) == parameters


@pytest.mark.parametrize("text", ["", "usename", "username+ip"])
def test_bad_lockout_parameters_stop_the_start(text):
    with pytest.raises(ValueError):
        lockout_parameters(text)
