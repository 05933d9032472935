"""Build the demo shop: cooperatives, products, pages and staff accounts. Safe to run twice."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog import scoping
from catalog.demo import Product, seed_catalogue
from cms.demo import seed_pages

# username -> (partner code, role in that cooperative)
DEMO_STAFF = {
    "bugiamap": ("bugiamap", scoping.Role.STAFF),
    "huucodongnai": ("huucodongnai", scoping.Role.MANAGER),
}


class Command(BaseCommand):
    help = "Create or update the demo data (sample figures, marked DEMO-). Refuses to run in production."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the shop already has products.")

    def handle(self, *args, if_empty=False, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "seed_demo refuses to run with these settings (DEMO_DATA_ALLOWED is off, as in production)."
            )
        log = self.stdout.write
        if if_empty and Product.objects.exists():
            log("The database already has products; leaving it as it is.")
            return
        with transaction.atomic():
            self._wagtail_base()
            log("Catalogue…")
            partners = seed_catalogue(log)
            log("Pages…")
            seed_pages(log)
            log("Accounts…")
            self._accounts(partners, log)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _wagtail_base(self):
        """Recreate what Wagtail's migrations create (root page, root collection, default locale)
        when a flushed database lacks it, as after a live-server test."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Collection, Locale, Page

        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Collection.get_first_root_node():
            Collection.add_root(name="Root")
        if not Page.get_first_root_node():
            Page.add_root(
                instance=Page(
                    title="Root", slug="root", locale=locale, content_type=ContentType.objects.get_for_model(Page)
                )
            )

    def _accounts(self, partners, log):
        User = get_user_model()
        password = settings.DEMO_PASSWORD
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(password)
            admin.save()
        for username, (partner_code, role) in DEMO_STAFF.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org", "is_staff": False}
            )
            if created:
                user.set_password(password)
                user.save()
            scoping.assign(user, partners[partner_code].cooperative, role)
        log(f"  admin + {len(DEMO_STAFF)} cooperative accounts (password from DEMO_PASSWORD)")
