"""Make or repair every cooperative's staff access: role groups, per-cooperative groups, media
collections, page permissions and approval workflows (catalog.scoping.sync_all). Safe to run twice."""

from django.core.management.base import BaseCommand

from catalog import scoping


class Command(BaseCommand):
    help = "Create or repair the staff groups, media collections, page permissions and workflows of every cooperative."

    def handle(self, *args, **options):
        for workspace in scoping.sync_all():
            pages = scoping.cooperative_pages(workspace.cooperative).count()
            self.stdout.write(
                f"{workspace.cooperative}: groups “{workspace.staff_group}”, “{workspace.manager_group}”; "
                f"collection “{workspace.collection}”; {pages} page(s)"
            )
