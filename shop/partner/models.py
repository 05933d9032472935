"""Partner (cooperative) stock: whole-đồng prices.

New models go above the trailing import so Oscar's loader picks ours first.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


def validate_whole_dong(value):
    """VND has no minor unit: a price must be a whole number of đồng."""
    if value is not None and Decimal(value) != Decimal(value).to_integral_value():
        raise ValidationError(_("Giá phải là số đồng chẵn, không có phần lẻ."), code="fractional_dong")


class StockRecord(AbstractStockRecord):
    def clean(self):
        super().clean()
        validate_whole_dong(self.price)

    def save(self, *args, **kwargs):
        # Forms call clean(); this also stops code paths (imports, shell) that skip it.
        validate_whole_dong(self.price)
        super().save(*args, **kwargs)


from oscar.apps.partner.models import *  # noqa: E402,F403
