"""What the environment switches: local services for the demo, shared ones for many app servers.

Each case builds the settings in a fresh interpreter from exactly the variables given.
"""

import pytest

from tests.shop.processes import settings_from_environment

REDIS = "django.core.cache.backends.redis.RedisCache"
PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "shop.example.org", "DATABASE_URL": "sqlite:///:memory:"}


def test_without_redis_everything_stays_in_the_process():
    found = settings_from_environment(["CACHES", "SESSION_ENGINE", "TASKS"])
    assert list(found["CACHES"]) == ["default", "thumbnails", "fragments"]
    assert all(cache["BACKEND"].endswith("LocMemCache") for cache in found["CACHES"].values())
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_with_redis_cache_and_sessions_live_there_apart():
    found = settings_from_environment(
        ["CACHES", "SESSION_ENGINE", "SESSION_CACHE_ALIAS", "RATELIMIT_USE_CACHE"],
        REDIS_URL="redis://redis.internal:6379/0",
        SESSION_REDIS_URL="redis://redis.internal:6379/1",
        CACHE_KEY_PREFIX="prod",
    )
    caches = found["CACHES"]
    assert caches["default"] == {"BACKEND": REDIS, "LOCATION": "redis://redis.internal:6379/0", "KEY_PREFIX": "prod"}
    assert caches["sessions"] == {"BACKEND": REDIS, "LOCATION": "redis://redis.internal:6379/1", "KEY_PREFIX": "prod"}
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert found["SESSION_CACHE_ALIAS"] == "sessions"
    assert found["RATELIMIT_USE_CACHE"] == "default"


def test_sessions_share_redis_url_when_no_session_url_is_given():
    found = settings_from_environment(["CACHES"], REDIS_URL="redis://redis.internal:6379/0")
    assert found["CACHES"]["sessions"]["LOCATION"] == "redis://redis.internal:6379/0"


def test_production_queues_tasks_for_the_worker_unless_told_otherwise():
    queued = settings_from_environment(["TASKS"], "shop.settings.production", **PRODUCTION)
    assert queued["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    immediate = settings_from_environment(
        ["TASKS"], "shop.settings.production", TASKS_BACKEND="immediate", **PRODUCTION
    )
    assert immediate["TASKS"]["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_unknown_task_backend_stops_the_start():
    with pytest.raises(AssertionError, match="TASKS_BACKEND must be one of immediate, database"):
        settings_from_environment(["TASKS"], TASKS_BACKEND="celery")
