"""Two app servers count the same failed logins: four wrong passwords on one and one on the other
lock the account out on both. The servers share nothing but the database (no Redis at all), which
is where django-axes' database handler keeps the counts.
"""

import re
import uuid

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.shop.processes import (
    free_port,
    production_env,
    shareable_database_url,
    start_gunicorn,
    stop,
    wait_until_healthy,
)

pytestmark = pytest.mark.django_db

PASSWORD = "hai-may-chu-mot-co-so-du-lieu"


@pytest.fixture(scope="module")
def staff_user(django_db_setup, django_db_blocker):
    hasher = PBKDF2PasswordHasher()  # production hashes with PBKDF2
    with django_db_blocker.unblock():
        user = get_user_model().objects.create(
            username=f"axes-{uuid.uuid4().hex[:10]}",
            email="axes-two-servers@example.org",
            is_staff=True,
            is_superuser=True,
            password=hasher.encode(PASSWORD, hasher.salt()),
        )
    yield user
    with django_db_blocker.unblock():
        AccessAttempt.objects.filter(username=user.username).delete()
        user.delete()


@pytest.fixture(scope="module")
def servers(staff_user, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("axes-servers")
    with django_db_blocker.unblock():
        database_url = shareable_database_url(folder)
    env = production_env(
        database_url,
        DJANGO_SETTINGS_MODULE="tests.shop.multi_server_settings",
        REDIS_URL="",
        SESSION_REDIS_URL="",
        TASKS_BACKEND="immediate",
    )
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            processes.append(start_gunicorn(port, env, folder / f"gunicorn-{name}.log"))
            urls.append(f"http://127.0.0.1:{port}")
        for process, url in zip(processes, urls, strict=True):
            wait_until_healthy(process, url)
        yield urls
    finally:
        for process in processes:
            stop(process)


def _https(base_url):
    origin = base_url.replace("http://", "https://")
    return {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": f"{origin}/admin/login/"}


def _try(base_url, username, password):
    page = requests.get(f"{base_url}/admin/login/", headers=_https(base_url), timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return requests.post(
        f"{base_url}/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
        cookies={"csrftoken": page.cookies["csrftoken"]},
        headers=_https(base_url),
        allow_redirects=False,
        timeout=60,
    )


def test_failed_logins_on_two_servers_add_up(servers, staff_user):
    first, second = servers
    for _ in range(4):
        assert _try(first, staff_user.username, "sai-mat-khau").status_code == 200
    locked = _try(second, staff_user.username, "sai-mat-khau")
    assert locked.status_code == 429 and "Hãy thử lại sau" in locked.text
    # The right password is refused on both servers now.
    for base_url in servers:
        assert _try(base_url, staff_user.username, PASSWORD).status_code == 429
