"""Keep the search table and the page cache in step with pages, products, prices and stock."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import cache, search

# Changes in these apps can alter what a cached page shows (prices, stock, products, certificates).
CACHE_APPS = {"catalogue", "partner"}


def shows_on_pages(sender) -> bool:
    """True for models whose changes can alter a cached page (renditions made while rendering do not)."""
    label, name = sender._meta.app_label, sender._meta.model_name
    return (
        label in CACHE_APPS
        or (label, name) == ("wagtailimages", "image")
        or (label == "cms" and name.endswith("settings"))
    )


def on_page_published(sender, instance, **kwargs):
    search.index_page(instance)
    cache.invalidate()


def on_page_unpublished(sender, instance, **kwargs):
    search.forget("page", instance.pk)
    cache.invalidate()


def on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    label = sender._meta.app_label
    if label == "catalogue" and sender._meta.model_name == "product":
        search.index_product(instance)
    if shows_on_pages(sender):
        cache.invalidate()


def on_delete(sender, instance, **kwargs):
    label = sender._meta.app_label
    if isinstance(instance, Page):
        search.forget("page", instance.pk)
        cache.invalidate()
    elif label == "catalogue" and sender._meta.model_name == "product":
        search.forget("product", instance.pk)
        cache.invalidate()
    elif shows_on_pages(sender):
        cache.invalidate()


def connect():
    page_published.connect(on_page_published, dispatch_uid="cms.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cms.page_unpublished")
    post_page_move.connect(cache.invalidate, dispatch_uid="cms.page_moved")
    post_save.connect(on_save, dispatch_uid="cms.post_save")
    post_delete.connect(on_delete, dispatch_uid="cms.post_delete")
