"""The production topology: one process queues a task, a separate `db_worker` process runs it.

The queued rows must be committed for another process to see them, so they are written by a module
fixture (set up before the test's own transaction) and removed afterwards; the worker runs with
production settings against a copy of the SQLite test database, or the PostgreSQL test database.
One worker run drains the whole queue: a plain email, an order confirmation with its VietQR image
(rendered by the worker from the order id), and the renditions of a newly uploaded image.
"""

import email
import email.header
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import connections
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms import renditions
from shop.order import emails
from shop.payment import vietqr
from shop.tasks import generate_renditions_task, send_email_task, send_order_email_task
from tests.shop.processes import ROOT, production_env, shareable_database_url
from tests.shop.vn_orders import place_vn_order

# Marked so pytest-django builds the test database; the worker only sees what fixtures commit.
pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PaymentAttempt = get_model("payment", "PaymentAttempt")


def _png(size=(900, 600)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (190, 140, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def worker_run(django_db_setup, django_db_blocker, tmp_path_factory):
    """Queue three tasks in committed rows, run one `db_worker --batch` process on them; yield what it did."""
    created = []
    with django_db_blocker.unblock():
        order = place_vn_order("vi", email="chuyenkhoan@example.org")
        attempt = PaymentAttempt.objects.create(
            basket=order.basket,
            order_number=order.number,
            method=emails.BANK_TRANSFER,
            amount=int(order.total_incl_tax),
            order=order,
            state=PaymentAttempt.State.PLACED,
        )
        image = get_image_model()(title="Ảnh tải lên cho worker")
        image.file = ImageFile(io.BytesIO(_png()), name="worker-upload.png")
        image.save()
        with override_settings(TASKS=DATABASE_TASKS):
            results = {
                "email": send_email_task.enqueue(
                    subject="Gửi từ worker riêng", body="Một tiến trình khác đã gửi thư này.", to="khach@example.org"
                ),
                "order": send_order_email_task.enqueue(order_id=order.pk, event_code=emails.ORDER_PLACED),
                "renditions": generate_renditions_task.enqueue(image_id=image.pk),
            }
        products = [line.product for line in order.lines.all()]
        # Removed afterwards in this order: what refers to a row goes before it.
        created += [attempt, order, order.basket, *products, image]
        database_url = shareable_database_url(tmp_path_factory.mktemp("worker-db"))
    outbox = tmp_path_factory.mktemp("outbox")
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "1"],
        cwd=ROOT,
        # django-environ drops the first slash of the path: four slashes for an absolute one.
        env=production_env(database_url, EMAIL_URL=f"filemail:///{outbox}", MEDIA_ROOT=settings.MEDIA_ROOT),
        capture_output=True,
        text=True,
        timeout=300,
    )
    yield {
        "results": results,
        "order": order,
        "image": image,
        "database_url": database_url,
        "outbox": outbox,
        "log": worker.stdout + worker.stderr,
        "returncode": worker.returncode,
    }
    with django_db_blocker.unblock():
        DBTaskResult.objects.filter(pk__in=[r.id for r in results.values()]).delete()
        for obj in created:
            obj.delete()


def _sent(outbox):
    return [email.message_from_bytes(path.read_bytes()) for path in Path(outbox).iterdir()]


def _rows(database_url, sql, params=()):
    """Rows the worker wrote, read from its database (the SQLite copy, or PostgreSQL itself)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return db.execute(sql, params).fetchall()
    with connections["default"].cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall()


def test_worker_runs_every_queued_task(worker_run):
    log = worker_run["log"]
    assert worker_run["returncode"] == 0, log
    for name, path in (
        ("email", "send_email_task"),
        ("order", "send_order_email_task"),
        ("renditions", "generate_renditions_task"),
    ):
        assert f"id={worker_run['results'][name].id} path=shop.tasks.{path} state=SUCCESSFUL" in log, log


def test_db_worker_process_sends_an_email_queued_by_another_process(worker_run):
    plain = [m for m in _sent(worker_run["outbox"]) if m["To"] == "khach@example.org"]
    assert len(plain) == 1, worker_run["log"]


def test_worker_renders_the_order_confirmation_with_its_vietqr(worker_run):
    order = worker_run["order"]
    (message,) = [m for m in _sent(worker_run["outbox"]) if m["To"] == "chuyenkhoan@example.org"]
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject.startswith(f"Xác nhận đơn hàng {order.number}")
    html = next(part for part in message.walk() if part.get_content_type() == "text/html")
    assert 'src="cid:vietqr"' in html.get_payload(decode=True).decode()
    (qr,) = [part for part in message.walk() if part.get("Content-ID") == "<vietqr>"]
    zxingcpp = pytest.importorskip("zxingcpp")
    (decoded,) = zxingcpp.read_barcodes(PILImage.open(io.BytesIO(qr.get_payload(decode=True))))
    parsed = vietqr.parse_payload(decoded.text)
    assert parsed["amount"] == int(order.total_incl_tax)
    assert parsed["reference"] == order.number
    # The worker recorded it, so a second confirmation for this order would not be sent.
    sent = _rows(
        worker_run["database_url"],
        "SELECT COUNT(*) FROM order_communicationevent e JOIN communication_communicationeventtype t"
        " ON t.id = e.event_type_id WHERE e.order_id = ? AND t.code = ?",
        (order.pk, emails.ORDER_PLACED),
    )
    assert sent == [(1,)]


def test_worker_makes_the_renditions_of_a_new_image(worker_run):
    image = worker_run["image"]
    rows = _rows(
        worker_run["database_url"],
        "SELECT filter_spec, file FROM wagtailimages_rendition WHERE image_id = ?",
        (image.pk,),
    )
    specs = {spec for spec, _ in rows}
    assert specs == set(renditions.image_filter_specs()), worker_run["log"]
    assert worker_run["results"]["renditions"].id  # queued, not run in this process
    for _, name in rows:
        assert (Path(settings.MEDIA_ROOT) / name).stat().st_size > 0
    assert any(name.endswith(".avif") for _, name in rows)
