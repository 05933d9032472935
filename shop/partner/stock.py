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


# Order lines: cancelled lines give their units back, shipped lines use theirs up
# ------------------------------------------------------------------------------


def release_order_lines(lines):
    """Give back the units still allocated to these order lines (they were cancelled).

    Goes through Oscar's `Line.cancel_allocation`, which moves the line's `num_allocated` and its
    stock record's `num_allocated` down together under a row lock. Idempotent: a line whose
    allocation was already cancelled (or used up by shipping) gives nothing back twice.
    Returns {stock record id: units released}.
    """
    released = {}
    for line in lines:
        if line.stockrecord_id is None or line.allocation_cancelled or not line.num_allocated:
            continue
        before = line.num_allocated
        line.cancel_allocation(before)
        released[line.stockrecord_id] = released.get(line.stockrecord_id, 0) + before - line.num_allocated
    return released


def consume_for_shipment(line, quantity):
    """Units handed to the carrier leave the warehouse: `num_in_stock` and `num_allocated` go down.

    Oscar's `Line.consume_allocation`; at most what the line still has allocated (an order placed
    before allocations were tracked has none, and shipping it must not fail for that).
    """
    if line.stockrecord_id is None or line.allocation_cancelled:
        return 0
    units = min(quantity, line.num_allocated or 0)
    if units > 0:
        line.consume_allocation(units)
    return units
