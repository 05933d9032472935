"""Checkout forms. The shipping address is the Vietnamese one from shop.address.forms."""

from oscar.apps.checkout import forms

from shop.address.forms import ADDRESS_FIELDS, VietnameseAddressFormMixin


class ShippingAddressForm(VietnameseAddressFormMixin, forms.ShippingAddressForm):
    class Meta(forms.ShippingAddressForm.Meta):
        fields = ADDRESS_FIELDS

    def adjust_country_field(self):
        # Delivery is within Vietnam only: the mixin fixes the country, whatever else is in the table.
        pass
