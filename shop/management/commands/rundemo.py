"""Serve the demo shop on loopback and say where it is and how to log in.

Without STRIPE_SECRET_KEY it also starts localstripe on 127.0.0.1 (shop.payment.localstripe_server)
and points the shop at it, so card checkout works offline in test mode; with real keys, real Stripe
and real Stripe.js are used.
"""

import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from shop.payment import stripe_client
from shop.payment.localstripe_server import LocalStripe


class Command(BaseCommand):
    help = "Serve the shop on 127.0.0.1 for the demo (used by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        base = f"http://127.0.0.1:{port}"
        localstripe = self._start_localstripe(base) if not settings.STRIPE_SECRET_KEY else None
        self.stdout.write(
            self.style.SUCCESS(f"\nThe shop is at {base}/  (English: {base}/en/)\n")
            + f"Staff admin: {base}/admin/   Oscar dashboard: {base}/shop/dashboard/\n"
            + f"Demo logins: admin, bugiamap, huucodongnai; password: {settings.DEMO_PASSWORD}"
            + " (set DEMO_PASSWORD to change it)\n"
        )
        if localstripe:
            self.stdout.write(
                f"Card payments: TEST MODE, localstripe on {localstripe.url} (no real money). "
                "Test cards: 4242 4242 4242 4242 (paid), 4000 0027 6000 3184 (3-D Secure), "
                "4000 0000 0000 0341 (declined); any future expiry, any CVC.\n"
            )
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            if localstripe:
                localstripe.stop()

    def _start_localstripe(self, base):
        # State survives restarts (intents in the demo database stay readable), in a file only we can read.
        server = LocalStripe.start(state_file=settings.VAR_DIR / "localstripe" / "state.pickle")
        settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
        settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
        settings.STRIPE_API_BASE = server.url
        settings.STRIPE_WEBHOOK_SECRET = "whsec_" + secrets.token_urlsafe(24)
        server.register_webhook(
            f"{base}/payment/stripe/webhook/", settings.STRIPE_WEBHOOK_SECRET, events=stripe_client.WEBHOOK_EVENTS
        )
        return server
