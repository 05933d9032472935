"""Background work of the shop, run off the request path by the configured task backend.

Call `.enqueue(...)` on a task, never the function itself: with `TASKS_BACKEND=immediate` (dev,
tests, `make run`) it runs at once in the same process; with `database` (production) a row is
queued and `python manage.py db_worker` runs it.

Arguments are stored as JSON by the database backend, so pass plain strings, numbers, lists and
dicts: no lazy translations (`str()` them), no model instances (pass the pk). Inside a transaction,
enqueue on commit so a rolled-back order sends nothing and the worker never looks for rows it
cannot see yet::

    transaction.on_commit(lambda: send_email_task.enqueue(subject=..., body=..., to=[email]))

A task that raises is recorded as failed with its traceback (there are no automatic retries).
"""

import io
import logging

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command, get_commands
from django_tasks import task

logger = logging.getLogger(__name__)


def _as_list(addresses):
    if not addresses:
        return []
    return [addresses] if isinstance(addresses, str) else list(addresses)


@task()
def send_email_task(subject, body, to, from_email=None, html_body=None, cc=None, bcc=None, reply_to=None, headers=None):
    """Send one email with a plain-text body and an optional HTML alternative.

    `to`, `cc`, `bcc` and `reply_to` take one address or a list; `from_email` defaults to
    DEFAULT_FROM_EMAIL. Returns the number of messages sent (1), so the task result records it.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=_as_list(to),
        cc=_as_list(cc),
        bcc=_as_list(bcc),
        reply_to=_as_list(reply_to),
        headers=headers or None,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


def run_command(name, *args):
    """Run management command `name`, returning its output; skip with a warning if no app has it.

    A command that fails (CommandError or any exception) fails the task, so the worker logs it and
    the task result keeps the traceback.
    """
    if name not in get_commands():
        logger.warning("Task skipped: no management command %r is installed", name)
        return {"command": name, "skipped": True, "output": ""}
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    output = out.getvalue()
    logger.info("%s: %s", name, output.strip())
    return {"command": name, "skipped": False, "output": output}


@task()
def reconcile_payments_task():
    """Settle card payments no browser or webhook finished (`manage.py reconcile_payments`)."""
    return run_command("reconcile_payments")


@task()
def expire_transfers_task():
    """Cancel bank-transfer orders left unpaid past their expiry (`manage.py expire_transfers`)."""
    return run_command("expire_transfers")


@task()
def update_search_index_task():
    """Rebuild Wagtail's search index (`manage.py wagtail_update_index`).

    Saving a page or snippet already updates its own entry through Wagtail's task; this is for a
    full rebuild after bulk imports or a change of search backend.
    """
    return run_command("wagtail_update_index")


# Order emails
# ------------------------------------------------------------------------------


@task()
def send_order_email_task(order_id, event_code, old_status="", new_status="", line_ids=None):
    """Render and send one order email from the order as it is in the database, in its language.

    `event_code` is ORDER_PLACED (the confirmation: sent once per order, whatever the number of
    calls), ORDER_STATUS_CHANGED (with the old and new status) or ORDER_LINES_CHANGED (the lines
    staff shipped or cancelled, by id, and the order's status before). Everything the email shows,
    including the VietQR image of a bank transfer, is built here from the order id, so nothing but
    the id travels through the queue. Returns the number of messages sent (0: already sent).
    """
    from oscar.core.loading import get_class

    OrderDispatcher = get_class("order.utils", "OrderDispatcher")
    return OrderDispatcher().deliver(
        order_id, event_code, old_status=old_status, new_status=new_status, line_ids=line_ids
    )


# Images
# ------------------------------------------------------------------------------


@task()
def generate_renditions_task(image_id):
    """Make every rendition the public pages use of one Wagtail image (cms.renditions), before a visitor asks."""
    from wagtail.images import get_image_model

    from cms import renditions

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted since it was queued
        return 0
    return renditions.generate_image_renditions(image)


@task()
def generate_product_thumbnails_task(product_image_id):
    """Make the storefront thumbnails of one Oscar product image (cms.renditions.PRODUCT_THUMBNAILS)."""
    from oscar.core.loading import get_model

    from cms import renditions

    product_image = get_model("catalogue", "ProductImage").objects.filter(pk=product_image_id).first()
    if product_image is None or not product_image.original:
        return 0
    return renditions.generate_product_thumbnails(product_image)


# Search
# ------------------------------------------------------------------------------


@task()
def update_search_entry_task(kind, object_id):
    """Refresh (or remove) the search entry of one page or product, and the cluster's copy if there is one."""
    from cms import search

    return search.update_entry(kind, object_id)
