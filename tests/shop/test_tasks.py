"""Background work: in-process by default, queued in the database for `db_worker` in production.

Here the worker runs in this process, inside the test's transaction; test_tasks_worker_process.py
runs it as a separate process, as in production.
"""

import logging
import signal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from shop import tasks

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker():
    """Run `manage.py db_worker --batch` in this process, inside the test's transaction.

    The worker closes stale connections between tasks, which would end the test transaction, so
    only that is switched off; its logging levels and signal handlers are put back afterwards.
    """
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run():
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    yield run
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def test_default_backend_runs_tasks_in_process():
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    result = tasks.send_email_task.enqueue(
        subject="Đơn hàng của bạn",
        body="Cảm ơn bạn đã mua hạt điều.",
        to="khach@example.org",
        html_body="<p>Cảm ơn bạn đã mua hạt điều.</p>",
        reply_to=["htx@example.org"],
    )
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    (message,) = mail.outbox
    assert message.subject == "Đơn hàng của bạn"
    assert message.to == ["khach@example.org"]
    assert message.reply_to == ["htx@example.org"]
    assert message.alternatives[0][1] == "text/html"


@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_queues_until_the_worker_runs(run_worker):
    result = tasks.send_email_task.enqueue(subject="Xác nhận", body="Đã nhận tiền.", to=["khach@example.org"])
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert mail.outbox == []  # nothing happens on the request path

    run_worker()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value == 1
    assert [m.subject for m in mail.outbox] == ["Xác nhận"]


@override_settings(TASKS=DATABASE_TASKS)
def test_failing_task_is_recorded_with_its_traceback(run_worker):
    with mock.patch("shop.tasks.call_command", side_effect=RuntimeError("Stripe unreachable")):
        result = tasks.reconcile_payments_task.enqueue()
        run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert "Stripe unreachable" in row.traceback


@override_settings(TASKS=DATABASE_TASKS)
def test_wagtail_background_tasks_use_the_configured_backend(run_worker):
    from wagtail.models import Page

    page = Page.objects.filter(depth=2).first().specific
    page.save_revision().publish()
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    paths = set(queued.values_list("task_path", flat=True))
    assert "wagtail.tasks.update_reference_index_task" in paths
    assert "modelsearch.tasks.insert_or_update_object_task" in paths

    run_worker()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert not failed.exists(), [row.traceback for row in failed]


@pytest.mark.parametrize(
    ("task", "command"),
    [
        (tasks.reconcile_payments_task, "reconcile_payments"),
        (tasks.expire_transfers_task, "expire_transfers"),
        (tasks.update_search_index_task, "wagtail_update_index"),
    ],
)
def test_command_tasks_call_their_management_command(task, command):
    with mock.patch("shop.tasks.call_command") as call:
        result = task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert call.call_args.args == (command,)
    assert result.return_value["command"] == command


def test_command_task_skips_when_no_app_provides_the_command(caplog):
    with mock.patch("shop.tasks.get_commands", return_value={}):
        result = tasks.expire_transfers_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"command": "expire_transfers", "skipped": True, "output": ""}
    assert "no management command 'expire_transfers'" in caplog.text


def test_search_index_task_runs_wagtail_update_index():
    result = tasks.update_search_index_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value["skipped"] is False
