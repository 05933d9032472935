"""Delivery details for the checkout's shipping step."""

from django import template
from django.utils.formats import number_format

from shop.shipping.methods import RegionalDelivery

register = template.Library()


@register.simple_tag
def parcel_weight(basket):
    """The basket's shipping weight in kg, formatted for the active language ("1,5")."""
    return number_format(RegionalDelivery().weigh(basket).normalize(), decimal_pos=None, use_l10n=True)
