"""The address book, with Vietnam's province and commune/ward codes (see abstract_models).

New models go above the trailing import so Oscar's loader picks ours first.
"""

from oscar.apps.address.abstract_models import AbstractUserAddress

from shop.address.abstract_models import VietnameseAddressMixin


class UserAddress(VietnameseAddressMixin, AbstractUserAddress):
    # With two abstract parents Django only inherits the first one's Meta: take Oscar's explicitly.
    class Meta(AbstractUserAddress.Meta):
        abstract = False


from oscar.apps.address.models import *  # noqa: E402,F403
