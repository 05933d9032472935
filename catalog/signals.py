"""Keep each cooperative's Wagtail workspace (groups, collection, page permissions) in step.

A cooperative saved, a cooperative page saved (created, translated, its partner changed) or moved,
and a membership removed each call `catalog.scoping`, which does the work idempotently.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.signals import post_page_move

from catalog import scoping
from catalog.models import Cooperative, CooperativeMembership


def on_cooperative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        scoping.sync_cooperative(instance)


def on_cooperative_page_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        scoping.sync_page(instance)


def on_page_moved(sender, instance, **kwargs):
    page = instance.specific_deferred
    if isinstance(page, apps.get_model("cms", "CooperativePage")):
        scoping.sync_page(page)


def on_membership_deleted(sender, instance, **kwargs):
    scoping.release(instance.user)


def connect():
    post_save.connect(on_cooperative_saved, sender=Cooperative, dispatch_uid="catalog.cooperative_saved")
    post_save.connect(
        on_cooperative_page_saved,
        sender=apps.get_model("cms", "CooperativePage"),
        dispatch_uid="catalog.cooperative_page_saved",
    )
    post_page_move.connect(on_page_moved, dispatch_uid="catalog.page_moved")
    post_delete.connect(on_membership_deleted, sender=CooperativeMembership, dispatch_uid="catalog.membership_deleted")
