"""Serve the demo shop on loopback and say where it is and how to log in."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the shop on 127.0.0.1 for the demo (used by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(
            self.style.SUCCESS(f"\nThe shop is at {base}/  (English: {base}/en/)\n")
            + f"Staff admin: {base}/admin/   Oscar dashboard: {base}/shop/dashboard/\n"
            + f"Demo logins: admin, bugiamap, huucodongnai; password: {settings.DEMO_PASSWORD}"
            + " (set DEMO_PASSWORD to change it)\n"
        )
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
