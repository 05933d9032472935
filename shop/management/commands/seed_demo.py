"""Build the demo shop: cooperatives, products, pages and staff accounts. Safe to run twice."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.demo import Product, seed_catalogue
from cms.demo import seed_pages

DEMO_STAFF = {"bugiamap": "bugiamap", "huucodongnai": "huucodongnai"}  # username -> partner code
COOPERATIVE_GROUP = "Nhân viên HTX"


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
            log("Catalogue…")
            partners = seed_catalogue(log)
            log("Pages…")
            seed_pages(log)
            log("Accounts…")
            self._accounts(partners, log)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _accounts(self, partners, log):
        User = get_user_model()
        password = settings.DEMO_PASSWORD
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(password)
            admin.save()
        group, _ = Group.objects.get_or_create(name=COOPERATIVE_GROUP)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["wagtailadmin", "partner"],
                codename__in=["access_admin", "dashboard_access"],
            )
        )
        for username, partner_code in DEMO_STAFF.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org", "is_staff": False}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(group)
            partners[partner_code].users.add(user)
        log(f"  admin + {len(DEMO_STAFF)} cooperative accounts (password from DEMO_PASSWORD)")
