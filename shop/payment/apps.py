import oscar.apps.payment.apps as apps
from django.core import checks


class PaymentConfig(apps.PaymentConfig):
    name = "shop.payment"

    def ready(self):
        super().ready()
        checks.register(stripe_settings_check, checks.Tags.security)


def stripe_settings_check(app_configs=None, **kwargs):
    """Real card payments need the webhook secret too: without it every Stripe event is refused."""
    from django.conf import settings

    if settings.STRIPE_SECRET_KEY and not settings.STRIPE_WEBHOOK_SECRET:
        return [
            checks.Warning(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: webhooks will be refused "
                "and card orders whose shopper never returns wait for `reconcile_payments`.",
                id="payment.W001",
            )
        ]
    if bool(settings.STRIPE_SECRET_KEY) != bool(settings.STRIPE_PUBLISHABLE_KEY):
        return [
            checks.Warning(
                "Set both STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY (or neither): card payment is off.",
                id="payment.W002",
            )
        ]
    return []
