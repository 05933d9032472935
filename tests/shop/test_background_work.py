"""What moved off the request path: order emails, image renditions, search entries.

With the database backend nothing happens until the worker runs (here in this process; the
separate-process version is test_tasks_worker_process.py); with the immediate backend (dev, tests,
`make run`) the same task runs at once.
"""

import io
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.template import Context, Template
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model
from PIL import Image as PILImage
from sorl.thumbnail.base import ThumbnailBackend
from wagtail.images import get_image_model
from wagtail.models import Page

from cms import renditions, search
from cms.models import SearchEntry
from shop.order import emails, statuses
from tests.factories import create_product
from tests.shop.test_tasks import DATABASE_TASKS, run_worker  # noqa: F401  (fixture)
from tests.shop.vn_orders import place_vn_order

pytestmark = pytest.mark.django_db

Image = get_image_model()
Rendition = Image.get_rendition_model()
ProductImage = get_model("catalogue", "ProductImage")


def _picture_file(name="anh.png", size=(1000, 700)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 80, 40)).save(buffer, format="PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def queued(path):
    return DBTaskResult.objects.filter(task_path=f"shop.tasks.{path}", status=TaskResultStatus.READY)


# Order emails
# ------------------------------------------------------------------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_order_confirmation_waits_for_the_worker_and_is_sent_once(run_worker):  # noqa: F811
    order = place_vn_order("vi")
    mail.outbox.clear()
    emails.send_order_confirmation(order)
    emails.send_order_confirmation(order)  # the webhook and the browser's return both finish the order
    assert mail.outbox == []  # nothing is rendered or sent in the request
    (first, second) = queued("send_order_email_task").order_by("enqueued_at")
    assert first.args_kwargs["kwargs"] == {
        "order_id": order.pk,
        "event_code": emails.ORDER_PLACED,
        "old_status": "",
        "new_status": "",
        "line_ids": [],
    }

    run_worker()

    assert [m.to for m in mail.outbox] == [["lan@example.org"]]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (TaskResultStatus.SUCCESSFUL, TaskResultStatus.SUCCESSFUL)
    assert sorted([first.return_value, second.return_value]) == [0, 1]  # the second found it sent


@override_settings(TASKS=DATABASE_TASKS)
def test_status_email_is_queued_after_the_commit(run_worker, django_capture_on_commit_callbacks):  # noqa: F811
    order = place_vn_order("en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order.set_status(statuses.PROCESSING)
    assert not queued("send_order_email_task").exists()  # not before the commit
    for callback in callbacks:
        callback()
    (row,) = queued("send_order_email_task")
    assert row.args_kwargs["kwargs"]["new_status"] == statuses.PROCESSING
    run_worker()
    (message,) = mail.outbox
    assert order.number in message.subject


@override_settings(TASKS=DATABASE_TASKS)
def test_a_broken_mail_server_fails_the_task_with_its_traceback(run_worker, monkeypatch, caplog):  # noqa: F811
    order = place_vn_order("vi")
    emails.send_order_confirmation(order)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    run_worker()
    row = DBTaskResult.objects.get(task_path="shop.tasks.send_order_email_task")
    assert row.status == TaskResultStatus.FAILED
    assert "smtp down" in row.traceback
    assert "confirmation email not sent" in caplog.text
    # Nothing was recorded as sent, so running the task again (once the server is back) sends it.
    assert not order.communication_events.exists()


# Renditions
# ------------------------------------------------------------------------------


def _render_every_picture_size(image):
    template = Template(
        "{% for kind in kinds %}{% include 'includes/picture.html' with image=image size=kind %}{% endfor %}"
    )
    return template.render(Context({"image": image, "kinds": ["hero", "card", "thumb", ""]}))


@override_settings(PREGENERATE_RENDITIONS=True, TASKS=DATABASE_TASKS)
def test_a_new_image_queues_its_renditions_and_the_page_then_makes_none(run_worker, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        image = Image.objects.create(title="Vườn điều", file=_picture_file())
    (row,) = queued("generate_renditions_task")
    assert row.args_kwargs["kwargs"] == {"image_id": image.pk}
    assert not Rendition.objects.filter(image=image).exists()  # the upload did not wait for them

    run_worker()

    made = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert made == set(renditions.image_filter_specs())
    before = Rendition.objects.count()
    html = _render_every_picture_size(image)
    assert html.count("<picture>") == 4 and ".avif" in html and ".webp" in html
    from cms.templatetags.cms_tags import SOCIAL_FILTER

    image.get_rendition(SOCIAL_FILTER)  # the Open Graph image
    assert Rendition.objects.count() == before  # every size the templates ask for was ready


@override_settings(PREGENERATE_RENDITIONS=True)
def test_changing_only_the_title_queues_nothing(django_capture_on_commit_callbacks):
    image = Image.objects.create(title="Vườn điều", file=_picture_file())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image.title = "Vườn điều Bù Gia Mập"
        image.save(update_fields=["title"])
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image.set_focal_point(None)
        image.save(update_fields=["focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"])
    assert len(callbacks) == 1


def _render_product_images(product):
    template = Template(
        "{% include 'includes/product_card.html' with product=product %}"
        "{% include 'catalog/includes/product_gallery.html' with product=product %}"
    )
    return template.render(Context({"product": product}))


def _product_with_image(title):
    product = create_product(title=title)
    product_image = ProductImage(product=product, display_order=0)
    product_image.original.save(f"{title}.png", ContentFile(_picture_file().read()), save=False)
    product_image.save()
    return product


def test_without_the_task_the_first_visitor_makes_the_thumbnails():
    product = _product_with_image("khong-truoc")
    with mock.patch.object(ThumbnailBackend, "_create_thumbnail", autospec=True) as create:
        _render_product_images(product)
    assert create.called


@override_settings(PREGENERATE_RENDITIONS=True)
def test_product_image_thumbnails_are_made_after_upload(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = _product_with_image("co-truoc")
    with mock.patch.object(ThumbnailBackend, "_create_thumbnail", autospec=True) as create:
        html = _render_product_images(product)
    assert "srcset" in html
    assert not create.called, [call.args[2:] for call in create.call_args_list]


def test_renditions_are_not_queued_when_switched_off(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Image.objects.create(title="Không cần", file=_picture_file())
    assert callbacks == []


# Search entries
# ------------------------------------------------------------------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_search_entries_are_refreshed_by_the_worker(run_worker):  # noqa: F811
    product = create_product(title="Điều sấy giòn mật ong")
    assert not search.matching("dieu say gion mat ong").exists()  # queued, not yet indexed
    (row,) = queued("update_search_entry_task").filter(args_kwargs__kwargs__object_id=product.pk)
    run_worker()
    assert [e.object_id for e in search.matching("dieu say gion mat ong")] == [product.pk]

    product.is_public = False
    product.save()
    run_worker()
    assert not search.matching("dieu say gion mat ong").exists()


def test_update_entry_removes_what_no_longer_exists():
    page = Page.objects.filter(depth=2).first()
    SearchEntry.objects.create(kind="page", object_id=999999, title="Đã xoá", folded_title="da xoa", folded="da xoa")
    assert search.update_entry("page", 999999) == "removed"
    assert not SearchEntry.objects.filter(object_id=999999).exists()
    assert search.update_entry("page", page.pk) == "indexed"
    with pytest.raises(ValueError):
        search.update_entry("snippet", 1)
