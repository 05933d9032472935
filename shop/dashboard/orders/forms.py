"""The shipment staff record on order lines (Oscar's other order dashboard forms are used as they are)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.order import statuses
from shop.order.carriers import Carrier

ShippingEventType = get_model("order", "ShippingEventType")

TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


class ShipmentForm(forms.Form):
    """A shipping event on the selected lines: which event, the carrier and its tracking number.

    Handing lines to the carrier needs the carrier, and its tracking number unless it is "other"
    (a local bus company or the cooperative's own van may have none); the event handler checks
    the same rules again (shop.order.processing).
    """

    shipping_event_type = forms.ModelChoiceField(
        label=_("Sự kiện giao hàng"),
        queryset=ShippingEventType.objects.all(),
        to_field_name="code",
        empty_label=_("– chọn sự kiện –"),
        error_messages={
            "required": _("Hãy chọn sự kiện giao hàng."),
            "invalid_choice": _("Sự kiện giao hàng này không có."),
        },
    )
    carrier = forms.ChoiceField(
        label=_("Đơn vị vận chuyển"), choices=[("", _("– chọn đơn vị –")), *Carrier.choices], required=False
    )
    carrier_name = forms.CharField(label=_("Tên đơn vị khác"), max_length=100, required=False)
    tracking_number = forms.CharField(
        label=_("Mã vận đơn"),
        max_length=64,
        required=False,
        help_text=_("Như in trên phiếu gửi hàng, ví dụ GHN: LBK6XR3N."),
    )
    reference = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_event_type"].label_from_instance = statuses.event_label
        self.fields["shipping_event_type"].initial = statuses.HANDED_TO_CARRIER
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            if field.help_text:  # partials/line_actions.html gives the help text this id
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def clean_tracking_number(self):
        # People copy numbers with spaces ("GHN 1234 5678"); carriers never print any inside one.
        number = re.sub(r"\s+", "", self.cleaned_data["tracking_number"])
        if number and not TRACKING_NUMBER.match(number):
            raise forms.ValidationError(_("Mã vận đơn chỉ gồm chữ không dấu, số và các dấu - . _ /"))
        return number

    def clean_carrier_name(self):
        return self.cleaned_data["carrier_name"].strip()

    def clean(self):
        data = super().clean()
        event_type = data.get("shipping_event_type")
        if event_type is None or event_type.code != statuses.HANDED_TO_CARRIER:
            return data
        carrier = data.get("carrier")
        if not carrier:
            self.add_error("carrier", _("Hãy chọn đơn vị vận chuyển."))
        elif carrier == Carrier.OTHER and not data.get("carrier_name"):
            self.add_error("carrier_name", _("Hãy ghi tên đơn vị vận chuyển."))
        elif carrier != Carrier.OTHER and not data.get("tracking_number") and "tracking_number" not in self.errors:
            self.add_error("tracking_number", _("Hãy nhập mã vận đơn của đơn vị vận chuyển."))
        return data

    def handler_kwargs(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("carrier", "carrier_name", "tracking_number", "reference")}
