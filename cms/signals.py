"""Keep the search table, the page cache and the image renditions in step with what staff change.

Search entries and renditions are refreshed by background tasks (shop.tasks), queued here.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import cache, renditions, search

# Saving an image with only other fields changed (title, tags...) needs no new renditions.
RENDITION_FIELDS = {"file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"}

# Changes in these apps can alter what a cached page shows (prices, stock, products, certificates, reviews).
CACHE_APPS = {"catalogue", "partner", "reviews"}


def shows_on_pages(sender) -> bool:
    """True for models whose changes can alter a cached page (renditions made while rendering do not)."""
    label, name = sender._meta.app_label, sender._meta.model_name
    return (
        label in CACHE_APPS
        or (label, name) == ("wagtailimages", "image")
        or (label == "cms" and name.endswith("settings"))
    )


def on_page_published(sender, instance, **kwargs):
    search.queue_update("page", instance.pk)
    cache.invalidate()


def on_page_unpublished(sender, instance, **kwargs):
    search.queue_update("page", instance.pk)
    cache.invalidate()


def on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    label, name = sender._meta.app_label, sender._meta.model_name
    if label == "catalogue" and name == "product":
        search.queue_update("product", instance.pk)
    if renditions.enabled() and (update_fields is None or RENDITION_FIELDS.intersection(update_fields)):
        queue_renditions(label, name, instance.pk)
    if shows_on_pages(sender):
        cache.invalidate()


def queue_renditions(label, name, pk):
    """After the commit (the worker must see the file's row), queue the sizes a new or changed image needs."""
    from shop.tasks import generate_product_thumbnails_task, generate_renditions_task

    if (label, name) == ("wagtailimages", "image"):
        transaction.on_commit(lambda: generate_renditions_task.enqueue(image_id=pk))
    elif (label, name) == ("catalogue", "productimage"):
        transaction.on_commit(lambda: generate_product_thumbnails_task.enqueue(product_image_id=pk))


def on_delete(sender, instance, **kwargs):
    label = sender._meta.app_label
    if isinstance(instance, Page):
        search.queue_update("page", instance.pk)
        cache.invalidate()
    elif label == "catalogue" and sender._meta.model_name == "product":
        search.queue_update("product", instance.pk)
        cache.invalidate()
    elif shows_on_pages(sender):
        cache.invalidate()


def connect():
    page_published.connect(on_page_published, dispatch_uid="cms.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cms.page_unpublished")
    post_page_move.connect(cache.invalidate, dispatch_uid="cms.page_moved")
    post_save.connect(on_save, dispatch_uid="cms.post_save")
    post_delete.connect(on_delete, dispatch_uid="cms.post_delete")
