"""Rebuild the accent-insensitive search table, and the cluster's index when SEARCH_URL is set."""

from django.core.management.base import BaseCommand, CommandError

from cms import search, search_cluster


class Command(BaseCommand):
    help = (
        "Rebuild the search entries of all live pages and public products; with SEARCH_URL also build a "
        "new OpenSearch/Elasticsearch index from them and move the alias (SEARCH_INDEX) to it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--index-only",
            action="store_true",
            help="Keep the database rows; only build a new cluster index from them (needs SEARCH_URL).",
        )

    def handle(self, *args, index_only=False, **options):
        from opensearchpy.exceptions import OpenSearchException

        from cms.models import SearchEntry

        if index_only and not search_cluster.url():
            raise CommandError("--index-only needs SEARCH_URL (or OPENSEARCH_URL) to name a cluster.")
        try:
            if index_only:
                search_cluster.rebuild(SearchEntry.objects.order_by("pk").iterator(), stdout=self.stdout)
                count = SearchEntry.objects.count()
            else:
                count = search.rebuild(stdout=self.stdout)
        except OpenSearchException as error:
            raise CommandError(f"Search cluster at SEARCH_URL failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{count} search entries written."))
