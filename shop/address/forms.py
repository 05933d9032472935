"""Vietnamese address forms: the checkout's shipping address and the account's address book.

One name field, a Vietnamese phone number (stored in E.164), province then commune/ward from the
post-2025 units, the street, an optional postcode; the country is always Vietnam. The ward list
follows the chosen province: the "show wards" button redisplays the form without JavaScript, and
shop/js/address-wards.js fills the list in place when JavaScript runs.
"""

import re

import phonenumbers
from django import forms
from django.core import validators
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from shop.address import divisions

Country = get_model("address", "Country")

VIETNAM = "VN"
#: Name of the submit button that asks for the chosen province's wards (the no-JavaScript path).
REFRESH_WARDS = "refresh_wards"
ADDRESS_FIELDS = ["first_name", "phone_number", "province_code", "ward_code", "line1", "postcode", "notes"]
PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
PHONE_INVALID = _(
    "Số điện thoại chưa đúng. Hãy nhập số di động 10 chữ số (ví dụ 0912 345 678) "
    "hoặc số cố định kèm mã vùng (ví dụ 0251 3822 123)."
)
PHONE_FOREIGN = _("Chúng tôi chỉ giao hàng trong Việt Nam: hãy nhập số điện thoại Việt Nam của người nhận.")
POSTCODE_RE = re.compile(r"^[0-9]{5,6}$")


def parse_vietnamese_phone(value) -> PhoneNumber | None:
    """A Vietnamese mobile or landline number (saved as E.164, e.g. +84912345678), or None."""
    try:
        number = PhoneNumber.from_string(str(value).strip(), region=VIETNAM)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not number.is_valid():
        return None
    if phonenumbers.number_type(number) not in PHONE_TYPES:
        return None
    return number


def vietnam():
    """The only shipping country (created by the address app's migrations)."""
    return Country._default_manager.get(iso_3166_1_a2=VIETNAM)


class VietnameseAddressFormMixin:
    """Turns Oscar's address form into a Vietnamese one; mix in before Oscar's form class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.country = vietnam()
        self.fields.pop("country", None)
        self._set_up_name()
        self._set_up_phone()
        self._set_up_divisions()
        self._set_up_street()
        self.order_fields(ADDRESS_FIELDS)

    # Fields

    def _set_up_name(self):
        field = self.fields["first_name"]
        field.label = _("Họ và tên người nhận")
        field.required = True
        field.error_messages["required"] = _("Vui lòng nhập họ và tên người nhận.")
        field.widget.attrs["autocomplete"] = "name"

    def _set_up_phone(self):
        field = self.fields["phone_number"]
        field.label = _("Số điện thoại")
        field.required = True
        field.help_text = _("Di động hoặc cố định kèm mã vùng. Người giao hàng sẽ gọi số này.")
        field.error_messages["required"] = _("Vui lòng nhập số điện thoại để người giao hàng liên lạc.")
        field.widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})
        if self.instance.pk and self.instance.phone_number and not self.is_bound:
            self.initial["phone_number"] = self.instance.phone_number.as_national

    def _set_up_divisions(self):
        province_code = self._chosen_province_code()
        self.fields["province_code"] = forms.ChoiceField(
            label=_("Tỉnh/Thành phố"),
            choices=[("", _("— Chọn tỉnh/thành phố —"))] + [(p.code, p.name) for p in divisions.provinces()],
            error_messages={"required": _("Vui lòng chọn tỉnh/thành phố.")},
            widget=forms.Select(
                attrs={
                    "autocomplete": "address-level1",
                    "data-wards-url": reverse("address:wards"),
                    "data-ward-select": self.auto_id % self.add_prefix("ward_code") if self.auto_id else "",
                }
            ),
        )
        wards = divisions.wards_of(province_code) if province_code else []
        if wards:
            placeholder = _("— Chọn phường/xã —")
            missing = _("Vui lòng chọn phường/xã.")
        else:
            placeholder = _("— Chọn tỉnh/thành phố trước —")
            missing = _("Vui lòng chọn tỉnh/thành phố trước, rồi chọn phường/xã.")
        self.fields["ward_code"] = forms.ChoiceField(
            label=_("Phường/Xã"),
            choices=[("", placeholder)] + [(w.code, w.name) for w in wards],
            help_text=_("Đơn vị hành chính mới từ 1/7/2025 (không còn cấp quận/huyện)."),
            error_messages={
                "required": missing,
                "invalid_choice": _("Phường/xã này không thuộc tỉnh/thành phố đã chọn. Vui lòng chọn lại."),
            },
            widget=forms.Select(
                attrs={
                    "autocomplete": "address-level2",
                    # Texts for shop/js/address-wards.js, in the page's language.
                    "data-placeholder": _("— Chọn phường/xã —"),
                    "data-loading-text": _("Đang tải danh sách phường/xã…"),
                    "data-error-text": _("Không tải được danh sách phường/xã. Hãy bấm “Hiện danh sách phường/xã”."),
                }
            ),
        )

    def _set_up_street(self):
        line1 = self.fields["line1"]
        line1.label = _("Địa chỉ: số nhà, tên đường (hoặc thôn, ấp)")
        line1.error_messages["required"] = _("Vui lòng nhập số nhà, tên đường hoặc thôn, ấp.")
        line1.widget.attrs["autocomplete"] = "address-line1"
        postcode = self.fields["postcode"]
        postcode.label = _("Mã bưu chính (không bắt buộc)")
        postcode.required = False
        postcode.widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})
        if "notes" in self.fields:
            notes = self.fields["notes"]
            notes.label = _("Ghi chú cho người giao hàng (không bắt buộc)")
            notes.help_text = _("Ví dụ: giờ nhận hàng, gọi trước khi giao.")
            notes.widget.attrs["rows"] = 3

    def _chosen_province_code(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("province_code"), "")).strip()
        return str(self.initial.get("province_code") or self.instance.province_code or "")

    # The no-JavaScript ward list

    @property
    def refreshing_wards(self) -> bool:
        """True when the shopper pressed "show wards" rather than submitting the address."""
        return self.is_bound and REFRESH_WARDS in self.data

    def full_clean(self):
        super().full_clean()
        if self.refreshing_wards:
            # Show the form again with the province's wards and no error messages yet; it must
            # still not count as valid, or the checkout would move on.
            self._errors = ErrorDict({REFRESH_WARDS: self.error_class([_("Chọn phường/xã.")])})

    # Validation

    def clean_phone_number_field(self, field_name):
        """Oscar's hook (PhoneNumberMixin): only Vietnamese mobile and landline numbers."""
        value = self.cleaned_data.get(field_name)
        if value in validators.EMPTY_VALUES:
            return ""
        number = parse_vietnamese_phone(value)
        if number is None:
            try:
                foreign = PhoneNumber.from_string(str(value), region=VIETNAM)
                is_foreign = foreign.is_valid() and foreign.country_code != 84
            except phonenumbers.NumberParseException:
                is_foreign = False
            self.add_error(field_name, forms.ValidationError(PHONE_FOREIGN if is_foreign else PHONE_INVALID))
            return value
        return number

    def clean_postcode(self):
        postcode = re.sub(r"\s+", "", self.cleaned_data.get("postcode") or "")
        if postcode and not POSTCODE_RE.match(postcode):
            raise forms.ValidationError(_("Mã bưu chính gồm 5 chữ số (ví dụ 76000); có thể để trống."))
        return postcode

    def clean(self):
        cleaned_data = super().clean()
        province_code, ward_code = cleaned_data.get("province_code"), cleaned_data.get("ward_code")
        if province_code and ward_code:
            self.instance.set_division(province_code, ward_code)
        return cleaned_data


class UserAddressForm(VietnameseAddressFormMixin, oscar_forms.UserAddressForm):
    """The account's address book (and the checkout's "edit address")."""

    class Meta(oscar_forms.UserAddressForm.Meta):
        fields = ADDRESS_FIELDS
