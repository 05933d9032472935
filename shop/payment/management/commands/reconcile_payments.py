"""Settle card payments that no browser or webhook finished: webhooks get lost, browsers close.

Run it every few minutes (cron or a systemd timer). For each basket with an unfinished PaymentIntent,
or with stock still reserved: a succeeded intent gets its order (or a full refund when no order can
be placed); intents waiting longer than CARD_PAYMENT_TIMEOUT_MINUTES are cancelled and the stock goes
back on sale. Safe to run while shoppers pay and while webhooks arrive.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from shop.checkout import placement
from shop.payment import card
from shop.payment.models import PaymentAttempt, StripePayment

State = PaymentAttempt.State


class Command(BaseCommand):
    help = "Place orders for succeeded card payments, refund orphans, cancel abandoned ones."

    def handle(self, *args, **options):
        unfinished = PaymentAttempt.objects.filter(
            Q(intents__outcome=StripePayment.Outcome.PENDING)
            | Q(order__isnull=True, state__in=[State.PROCESSING, State.REQUIRES_ACTION])
            | (Q(order__isnull=True) & ~Q(reserved_stock={}))
        ).distinct()
        counts = {"checked": 0, "placed": 0, "refunded": 0, "released": 0, "errors": 0}
        for attempt in unfinished.order_by("pk"):
            counts["checked"] += 1
            try:
                self._settle(attempt, counts)
            except Exception as exc:  # one broken payment must not stop the others
                counts["errors"] += 1
                self.stderr.write(f"Attempt {attempt.pk} ({attempt.order_number}): {exc}")
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        if counts["errors"]:
            raise CommandError(f"{counts['errors']} payment(s) could not be reconciled; see above")

    def _settle(self, attempt, counts):
        timed_out = card.is_timed_out(attempt)
        had_order = attempt.order_id is not None
        held = bool(attempt.reserved_stock)
        refunded_before = attempt.intents.filter(outcome=StripePayment.Outcome.REFUNDED).count()
        card.reconcile_attempt(attempt, cancel_unfinished=timed_out or had_order)
        attempt.refresh_from_db()
        if attempt.order_id and not had_order:
            counts["placed"] += 1
            self.stdout.write(f"Order #{attempt.order_number} placed from a succeeded payment")
        refunded = attempt.intents.filter(outcome=StripePayment.Outcome.REFUNDED).count() - refunded_before
        if refunded:
            counts["refunded"] += refunded
            self.stdout.write(f"Basket of #{attempt.order_number}: {refunded} payment(s) refunded")
        if attempt.order_id:
            return
        pending = attempt.intents.filter(outcome=StripePayment.Outcome.PENDING).exists()
        stuck = attempt.reserved_stock or attempt.state in (State.PROCESSING, State.REQUIRES_ACTION)
        if not pending and timed_out and stuck:
            # Reserved, but no payment ever started (a crash between the two): give it back too.
            placement.release(attempt, State.CANCELLED)
            attempt.refresh_from_db()
        if held and not attempt.reserved_stock:
            card.thaw_basket(attempt)
            counts["released"] += 1
            self.stdout.write(f"Basket of #{attempt.order_number}: abandoned, stock released")
