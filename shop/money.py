"""Money in Vietnamese đồng: whole numbers only, one place that says how to round."""

from decimal import ROUND_HALF_UP, Decimal


def round_dong(amount, currency=None) -> Decimal:
    """Round an amount to whole đồng (VND has no minor unit), half up like a cashier.

    Oscar calls it (OSCAR_OFFER_ROUNDING_FUNCTION) with the currency too, for every discount.
    """
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
