"""Two app servers, one Redis: a login made on one server is a login on the other.

Two `gunicorn shop.wsgi` processes on free loopback ports run production settings with the same
REDIS_URL and one database (a file copy of the SQLite test database, or the PostgreSQL test
database itself). Redis database 9 of REDIS_URL's server (127.0.0.1:6379 by default) is used with
a key prefix of this run's own, and only keys with that prefix are deleted afterwards.
"""

import os
import re
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import requests
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

# Marked so pytest-django builds the test database; the servers only see what fixtures commit.
pytestmark = pytest.mark.django_db

REDIS_DB = 9
PASSWORD = "two-servers-one-redis"


def _test_redis_url():
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


REDIS_URL = _test_redis_url()


def _redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc}); start it: redis-server --daemonize yes")
    return client


@pytest.fixture(scope="module")
def redis_client():
    client = _redis_or_skip()
    yield client
    client.close()


@pytest.fixture(scope="module")
def key_prefix(redis_client):
    """A cache key prefix of this run's own; its keys, and only those, are deleted afterwards."""
    prefix = f"multi-server-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in redis_client.scan_iter(match=f"{prefix}:*", count=500):
        redis_client.delete(key)


@pytest.fixture(scope="module")
def staff_user(django_db_setup, django_db_blocker):
    """A superuser committed to the test database (production hashes passwords with PBKDF2)."""
    hasher = PBKDF2PasswordHasher()
    with django_db_blocker.unblock():
        user = get_user_model().objects.create(
            username=f"ms-{uuid.uuid4().hex[:10]}",
            email="two-servers@example.org",
            is_staff=True,
            is_superuser=True,
            password=hasher.encode(PASSWORD, hasher.salt()),
        )
    yield user
    with django_db_blocker.unblock():
        get_user_model().objects.filter(pk=user.pk).delete()


@pytest.fixture(scope="module")
def servers(staff_user, key_prefix, django_db_blocker, tmp_path_factory):
    """Base URLs of two gunicorn app servers sharing Redis and the database."""
    folder = tmp_path_factory.mktemp("multi-server")
    with django_db_blocker.unblock():
        database_url = shareable_database_url(folder)
    env = production_env(
        database_url,
        DJANGO_SETTINGS_MODULE="tests.shop.multi_server_settings",
        REDIS_URL=REDIS_URL,
        SESSION_REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=key_prefix,
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
    """Headers a TLS-terminating proxy would add, so production's secure-cookie and CSRF rules apply."""
    origin = base_url.replace("http://", "https://")
    return {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": f"{origin}/admin/login/"}


def _log_in(base_url, username):
    page = requests.get(f"{base_url}/admin/login/", headers=_https(base_url), timeout=60)
    assert page.status_code == 200, page.text[:500]
    csrf_cookie = page.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = requests.post(
        f"{base_url}/admin/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"},
        cookies={"csrftoken": csrf_cookie},
        headers=_https(base_url),
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:1000]
    assert response.headers["Location"].endswith("/admin/")
    # Logging in rotates the CSRF secret.
    return {"csrftoken": response.cookies.get("csrftoken", csrf_cookie), "sessionid": response.cookies["sessionid"]}


def _admin_home(base_url, cookies):
    return requests.get(
        f"{base_url}/admin/", cookies=cookies, headers=_https(base_url), allow_redirects=False, timeout=60
    )


def test_login_on_one_server_is_recognised_by_the_other(servers, staff_user, redis_client, key_prefix):
    server_a, server_b = servers
    cookies = _log_in(server_a, staff_user.username)

    # The session lives in Redis (the sessions alias), not in either process.
    session_keys = list(redis_client.scan_iter(match=f"{key_prefix}:*{cookies['sessionid']}"))
    assert len(session_keys) == 1, session_keys

    home_on_b = _admin_home(server_b, cookies)
    assert home_on_b.status_code == 200, home_on_b.headers.get("Location")
    assert staff_user.username in home_on_b.text or staff_user.email in home_on_b.text
    # Without the session cookie the same server sends the visitor to the login page.
    anonymous = _admin_home(server_b, {})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.headers["Location"]


def test_logout_on_one_server_ends_the_session_on_the_other(servers, staff_user, redis_client, key_prefix):
    server_a, server_b = servers
    cookies = _log_in(server_b, staff_user.username)
    assert _admin_home(server_a, cookies).status_code == 200

    token = cookies["csrftoken"]
    logout = requests.post(
        f"{server_a}/admin/logout/",
        data={"csrfmiddlewaretoken": token},
        cookies=cookies,
        headers=_https(server_a),
        allow_redirects=False,
        timeout=60,
    )
    assert logout.status_code == 302, logout.text[:500]
    assert not list(redis_client.scan_iter(match=f"{key_prefix}:*{cookies['sessionid']}"))
    after = _admin_home(server_b, cookies)
    assert after.status_code == 302 and "/admin/login/" in after.headers["Location"]
