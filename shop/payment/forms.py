"""The shopper's choice of payment method, and the staff refund form."""

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shop.payment import stripe_client
from shop.payment.models import PaymentMethod

HELP = {
    PaymentMethod.CARD: _("Visa, Mastercard, JCB. Thanh toán ngay, có xác thực 3-D Secure khi ngân hàng yêu cầu."),
    PaymentMethod.COD: _("Trả tiền mặt cho nhân viên giao hàng khi nhận hàng."),
    PaymentMethod.BANK_TRANSFER: _(
        "Quét mã VietQR bằng ứng dụng ngân hàng sau khi đặt hàng; đơn được giữ trong %(hours)s giờ."
    ),
}


def available_methods():
    """The payment methods this installation can take, in the order shown to the shopper."""
    methods = []
    if stripe_client.is_configured():
        methods.append(PaymentMethod.CARD)
    methods.append(PaymentMethod.COD)
    # A sample account is fine for the demo; production offers transfers only to a real account.
    if not settings.BANK_ACCOUNT_IS_SAMPLE or settings.DEMO_DATA_ALLOWED:
        methods.append(PaymentMethod.BANK_TRANSFER)
    return methods


def method_help(method):
    text = HELP[method]
    if method == PaymentMethod.BANK_TRANSFER:
        return text % {"hours": settings.BANK_TRANSFER_EXPIRY_HOURS}
    return text


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Cách thanh toán"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn một cách thanh toán."),
            "invalid_choice": _("Cách thanh toán này hiện không dùng được. Vui lòng chọn cách khác."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.value, m.label) for m in available_methods()]


class RefundForm(forms.Form):
    source = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.IntegerField(
        label=_("Số tiền hoàn (đồng)"),
        min_value=1,
        error_messages={
            "invalid": _("Nhập số đồng nguyên, không có phần lẻ."),
            "min_value": _("Số tiền hoàn phải lớn hơn 0."),
        },
    )
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)
    # One token per rendered form: a double-submitted form refunds once.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(24)
