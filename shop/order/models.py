"""Orders: the shopper's language, and shipping addresses with Vietnam's administrative codes.

New models go above the trailing import so Oscar's loader picks ours first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractShippingAddress
from oscar.apps.order.abstract_models import AbstractOrder

from shop.address.abstract_models import VietnameseAddressMixin


class Order(AbstractOrder):
    # Emails about this order go out in the language the shopper bought in, whoever triggers them.
    language = models.CharField(
        _("Ngôn ngữ của khách"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )


class ShippingAddress(VietnameseAddressMixin, AbstractShippingAddress):
    # With two abstract parents Django only inherits the first one's Meta: take Oscar's explicitly.
    class Meta(AbstractShippingAddress.Meta):
        abstract = False


from oscar.apps.order.models import *  # noqa: E402,F403
