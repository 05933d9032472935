"""Rebuild the accent-insensitive search table from every live page and public product."""

from django.core.management.base import BaseCommand

from cms import search


class Command(BaseCommand):
    help = "Rebuild the search entries of all live pages and public products."

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} search entries written."))
