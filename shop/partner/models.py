"""Partner (cooperative) stock: whole-đồng prices and an allocation that cannot oversell.

New models go above the trailing import so Oscar's loader picks ours first.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord

from shop.partner.exceptions import InsufficientStock


def validate_whole_dong(value):
    """VND has no minor unit: a price must be a whole number of đồng."""
    if value is not None and Decimal(value) != Decimal(value).to_integral_value():
        raise ValidationError(_("Giá phải là số đồng chẵn, không có phần lẻ."), code="fractional_dong")


class StockRecord(AbstractStockRecord):
    class Meta(AbstractStockRecord.Meta):
        # A product's lowest price (catalog.browse, for cards and the price sort) from the index alone.
        indexes = [models.Index("product", "price", name="stockrecord_product_price_idx")]

    def clean(self):
        super().clean()
        validate_whole_dong(self.price)

    def save(self, *args, **kwargs):
        # Forms call clean(); this also stops code paths (imports, shell) that skip it.
        validate_whole_dong(self.price)
        super().save(*args, **kwargs)

    def allocate(self, quantity):
        """Allocate `quantity` units only if that many are free, in one conditional UPDATE.

        Oscar's version adds to `num_allocated` unconditionally, so two buyers of the last bag both
        succeed. Here the database checks `num_in_stock - num_allocated >= quantity` in the same
        statement that allocates (PostgreSQL re-checks the condition after waiting on a concurrent
        update of the row), and a zero-row result raises `InsufficientStock`, which rolls back the
        surrounding order placement or reservation.
        """
        if not self.can_track_allocations:
            return
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.pre_save_signal()
        allocated = Coalesce(F("num_allocated"), 0)
        updated = (
            type(self)
            .objects.filter(pk=self.pk, num_in_stock__gte=allocated + quantity)
            .update(num_allocated=allocated + quantity)
        )
        if not updated:
            self.refresh_from_db(fields=["num_in_stock", "num_allocated"])
            raise InsufficientStock(self, quantity)
        self.refresh_from_db(fields=["num_allocated"])
        self.post_save_signal()

    allocate.alters_data = True


from oscar.apps.partner.models import *  # noqa: E402,F403
