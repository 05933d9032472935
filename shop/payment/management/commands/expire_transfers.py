"""Cancel bank-transfer orders still unpaid after BANK_TRANSFER_EXPIRY_HOURS and release their stock.

Run it hourly (cron or a systemd timer). An order staff marked as paid is never touched.
"""

from django.core.management.base import BaseCommand

from shop.payment.offline import expire_transfers


class Command(BaseCommand):
    help = "Cancel unpaid bank-transfer orders past their expiry and put their stock back on sale."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="override BANK_TRANSFER_EXPIRY_HOURS")

    def handle(self, *args, hours=None, **options):
        expired = expire_transfers(hours=hours)
        for number in expired:
            self.stdout.write(f"Order #{number}: transfer not received in time, cancelled and stock released")
        self.stdout.write(f"{len(expired)} unpaid transfer order(s) expired")
