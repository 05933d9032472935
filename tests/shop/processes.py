"""Helpers for tests that run the shop in other processes: gunicorn app servers, the task worker.

Such a process cannot see this process' test transaction, so it gets a database of its own making:
`shareable_database_url` hands out the committed state of the test database (migrated and seeded).
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import requests
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shareable_database_url(folder):
    """A DATABASE_URL other processes can open, holding what is committed in the test database.

    SQLite's test database lives in this process' memory, so it is copied to a file in `folder`;
    PostgreSQL's is shared as it is. Call it with database access unblocked and outside a test
    transaction (`django_db_blocker.unblock()`), so only committed rows are handed on.
    """
    connection = connections["default"]
    if connection.vendor == "sqlite":
        path = Path(folder) / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "127.0.0.1"
        return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    raise NotImplementedError(f"no shared database for {connection.vendor}")


# Settings the environment switches between local and shared services.
SERVICE_VARIABLES = (
    "REDIS_URL",
    "SESSION_REDIS_URL",
    "CACHE_KEY_PREFIX",
    "TASKS_BACKEND",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_LOCATION",
)


def settings_from_environment(names, settings_module="shop.settings.dev", **env):
    """The settings `names` as `settings_module` builds them from `env`, read in a fresh interpreter.

    The service variables of this shell are blanked (an empty value also beats .env), so only
    `env` decides. Returns a dict, or raises AssertionError with the interpreter's error output.
    """
    code = (
        "import json, sys, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}, default=str))"
    )
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE=settings_module, DATABASE_URL="sqlite:///:memory:")
    environment.update(dict.fromkeys(SERVICE_VARIABLES, ""))
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c", code, *names], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def production_env(database_url, **overrides):
    """Environment for `shop.settings.production`, isolated from the developer's shell and .env.

    Optional services are switched off unless `overrides` names them (an empty value wins over
    .env, which never overwrites the environment).
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        SECRET_KEY="multi-process-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="false",
        REDIS_URL="",
        SESSION_REDIS_URL="",
        CACHE_KEY_PREFIX="",
        AWS_STORAGE_BUCKET_NAME="",
        TASKS_BACKEND="database",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update({name: str(value) for name, value in overrides.items()})
    return env


def start_gunicorn(port, env, log_path):
    """Start `gunicorn shop.wsgi` on 127.0.0.1:`port` with one worker; output goes to `log_path`."""
    log = open(log_path, "wb")  # closed by stop()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "shop.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--timeout", "120", "--graceful-timeout", "5"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    process.log_path = Path(log_path)
    return process


def wait_until_healthy(process, base_url, timeout=180):
    """Wait for `/healthz` to answer 200; fail with the server's log if it dies or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{read_log(process)}")
        try:
            if requests.get(f"{base_url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{base_url} not healthy after {timeout}s:\n{read_log(process)}")


def read_log(process):
    process.log.flush()
    return process.log_path.read_text(errors="replace")[-5000:]


def stop(process):
    """Stop a process started here (by its own pid only) and close its log."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    process.log.close()
