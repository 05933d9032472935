"""Stock held for a basket while it is being paid for, through the guarded `StockRecord.allocate`.

A reservation is the allocation the order will own: the order creator skips lines already reserved
(see `shop.checkout.placement`), and a payment that fails or expires gives the units back.
"""

from django.db import transaction
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def basket_quantities(basket):
    """Units per stock record for the lines of `basket` whose product tracks stock, as {id: qty}."""
    wanted = {}
    for line in basket.all_lines():
        if line.stockrecord_id is None or not line.product.get_product_class().track_stock:
            continue
        wanted[line.stockrecord_id] = wanted.get(line.stockrecord_id, 0) + line.quantity
    return wanted


def reserve(quantities):
    """Allocate every {stockrecord id: qty} or nothing; raise `InsufficientStock` on the first shortage.

    Records are taken in id order so concurrent reservations lock rows in the same order.
    Returns the reservation as {str(id): qty} (JSON-friendly keys).
    """
    with transaction.atomic():
        records = StockRecord.objects.in_bulk(list(quantities))
        for record_id in sorted(quantities):
            records[record_id].allocate(quantities[record_id])
    return {str(record_id): qty for record_id, qty in quantities.items()}


def release(reservation):
    """Give back the units of a reservation made by `reserve` (never below zero allocated)."""
    with transaction.atomic():
        records = StockRecord.objects.in_bulk([int(record_id) for record_id in reservation])
        for record_id in sorted(reservation, key=int):
            record = records.get(int(record_id))
            if record is not None:
                record.cancel_allocation(reservation[record_id])
