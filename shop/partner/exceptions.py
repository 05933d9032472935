"""Stock errors the checkout turns into plain messages for the shopper."""

from oscar.apps.order.exceptions import UnableToPlaceOrder


class InsufficientStock(UnableToPlaceOrder):
    """A conditional allocation found fewer units free than asked for; nothing was allocated."""

    def __init__(self, stockrecord, quantity):
        self.stockrecord = stockrecord
        self.quantity = quantity
        super().__init__(f"Stock record #{stockrecord.pk}: {quantity} wanted, not enough free")
