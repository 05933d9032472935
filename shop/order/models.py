"""Orders: the shopper's language, shipping addresses with Vietnam's administrative codes, and
shipping events that say which carrier has a parcel under which tracking number.

New models go above the trailing import so Oscar's loader picks ours first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractShippingAddress
from oscar.apps.order.abstract_models import AbstractOrder, AbstractShippingEvent

from shop.address.abstract_models import VietnameseAddressMixin
from shop.order.carriers import WEBSITES, Carrier


class Order(AbstractOrder):
    # Emails about this order go out in the language the shopper bought in, whoever triggers them.
    language = models.CharField(
        _("Ngôn ngữ của khách"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )


class ShippingAddress(VietnameseAddressMixin, AbstractShippingAddress):
    # With two abstract parents Django only inherits the first one's Meta: take Oscar's explicitly.
    class Meta(AbstractShippingAddress.Meta):
        abstract = False


class ShippingEvent(AbstractShippingEvent):
    """Oscar's shipping event (some lines, some quantity), plus the carrier and its tracking number.

    `notes` keeps a one-line summary ("GHN – Giao Hàng Nhanh, mã vận đơn …") so Oscar's own pages
    that show the notes show the shipment too.
    """

    carrier = models.CharField(_("Đơn vị vận chuyển"), max_length=20, choices=Carrier.choices, blank=True)
    carrier_name = models.CharField(
        _("Tên đơn vị vận chuyển"), max_length=100, blank=True, help_text=_("Khi chọn “Đơn vị khác”.")
    )
    tracking_number = models.CharField(_("Mã vận đơn"), max_length=64, blank=True)

    class Meta(AbstractShippingEvent.Meta):
        abstract = False

    @property
    def carrier_label(self) -> str:
        """The carrier as the shopper should read it ("" when none was recorded)."""
        if self.carrier == Carrier.OTHER:
            return self.carrier_name
        return self.get_carrier_display() if self.carrier else ""

    @property
    def carrier_website(self) -> str:
        return WEBSITES.get(self.carrier, "")

    def summary(self) -> str:
        """Carrier and tracking number in one line, e.g. "GHN – Giao Hàng Nhanh, mã vận đơn GHN123"."""
        parts = [self.carrier_label] if self.carrier_label else []
        if self.tracking_number:
            parts.append(_("mã vận đơn %(number)s") % {"number": self.tracking_number})
        return ", ".join(str(part) for part in parts)


from oscar.apps.order.models import *  # noqa: E402,F403
