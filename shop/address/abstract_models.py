"""Vietnamese address parts shared by the address book and the order's shipping address.

Names go where Oscar already looks (province in `state`, commune/ward in `line4`), so every Oscar
page, the dashboard and the address hash show "street, ward, province" without changes; the
official codes sit beside them for shipping rates and for editing the address again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractAddress

from shop.address import divisions


class VietnameseAddressMixin(models.Model):
    province_code = models.CharField(_("Mã tỉnh/thành phố"), max_length=2, blank=True, db_index=True)
    ward_code = models.CharField(_("Mã phường/xã"), max_length=5, blank=True)

    # Vietnam's postal codes have had five digits since 2018; older six-digit ones still circulate.
    POSTCODES_REGEX = {**AbstractAddress.POSTCODES_REGEX, "VN": r"^[0-9]{5,6}$"}

    class Meta:
        abstract = True

    def set_division(self, province_code: str, ward_code: str) -> None:
        """Store the codes and the official names of a province and one of its communes/wards."""
        province = divisions.get_province(province_code)
        ward = divisions.get_ward(ward_code, province=province_code)
        self.province_code = province.code if province else ""
        self.ward_code = ward.code if ward else ""
        self.state = province.name if province else ""
        self.line4 = ward.name if ward else ""
