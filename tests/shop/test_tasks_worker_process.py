"""The production topology: one process queues a task, a separate `db_worker` process runs it.

The queued row must be committed for another process to see it, so it is written by a module
fixture (set up before the test's own transaction) and removed afterwards; the worker runs with
production settings against a copy of the SQLite test database, or the PostgreSQL test database.
"""

import subprocess
import sys

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from shop.tasks import send_email_task
from tests.shop.processes import ROOT, production_env, shareable_database_url

# Marked so pytest-django builds the test database; the worker only sees what fixtures commit.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def queued_email(django_db_setup, django_db_blocker, tmp_path_factory):
    """(task result, database URL): an email task committed to the queue of a shareable database."""
    with django_db_blocker.unblock():
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            result = send_email_task.enqueue(
                subject="Gửi từ worker riêng", body="Một tiến trình khác đã gửi thư này.", to="khach@example.org"
            )
        database_url = shareable_database_url(tmp_path_factory.mktemp("worker-db"))
    yield result, database_url
    with django_db_blocker.unblock():
        DBTaskResult.objects.filter(pk=result.id).delete()


def test_db_worker_process_sends_an_email_queued_by_another_process(queued_email, tmp_path):
    result, database_url = queued_email
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "1"],
        cwd=ROOT,
        # django-environ drops the first slash of the path: four slashes for an absolute one.
        env=production_env(database_url, EMAIL_URL=f"filemail:///{outbox}"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = worker.stdout + worker.stderr
    assert worker.returncode == 0, log
    assert f"id={result.id} path=shop.tasks.send_email_task state=SUCCESSFUL" in log, log
    sent = [path.read_text() for path in outbox.iterdir()]
    assert len(sent) == 1, log
    assert "To: khach@example.org" in sent[0]
