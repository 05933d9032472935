"""The shopper's choice of payment method, and the staff refund form."""

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.templatetags.currency_filters import currency

from shop.payment import stripe_client
from shop.payment.models import PaymentMethod

HELP = {
    PaymentMethod.CARD: _("Visa, Mastercard, JCB. Thanh toán ngay, có xác thực 3-D Secure khi ngân hàng yêu cầu."),
    PaymentMethod.COD: _("Trả tiền mặt cho nhân viên giao hàng khi nhận hàng."),
    PaymentMethod.BANK_TRANSFER: _(
        "Quét mã VietQR bằng ứng dụng ngân hàng sau khi đặt hàng; đơn được giữ trong %(hours)s giờ."
    ),
    PaymentMethod.FREE: _("Tổng đơn hàng là 0 ₫ (mã giảm giá đã trả toàn bộ): không cần trả tiền."),
}


def available_methods(amount=None):
    """The payment methods for an order of `amount` whole đồng (None: any amount), in the order shown.

    An order of 0 ₫ has one: FREE (nothing is charged; Stripe takes no 0 ₫ payment). Cards need at
    least STRIPE_MINIMUM_CHARGE_VND, the smallest charge Stripe accepts.
    """
    if amount == 0:
        return [PaymentMethod.FREE]
    methods = []
    if stripe_client.is_configured() and (amount is None or amount >= settings.STRIPE_MINIMUM_CHARGE_VND):
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


def card_too_small_message(amount):
    """Why the card option is missing for an order under Stripe's minimum, or "" when it is not."""
    if not stripe_client.is_configured() or amount is None or not 0 < amount < settings.STRIPE_MINIMUM_CHARGE_VND:
        return ""
    return gettext(
        "Thanh toán bằng thẻ chỉ dùng được cho đơn hàng từ %(minimum)s (mức tối thiểu của cổng thanh toán thẻ); "
        "đơn của bạn là %(total)s. Vui lòng chọn cách thanh toán khác."
    ) % {"minimum": currency(settings.STRIPE_MINIMUM_CHARGE_VND, "VND"), "total": currency(amount, "VND")}


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Cách thanh toán"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn một cách thanh toán."),
            "invalid_choice": _("Cách thanh toán này hiện không dùng được. Vui lòng chọn cách khác."),
        },
    )

    def __init__(self, *args, amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        field.choices = [(m.value, m.label) for m in available_methods(amount)]
        too_small = card_too_small_message(amount)
        if too_small and self.data.get("method") == PaymentMethod.CARD:
            field.error_messages["invalid_choice"] = too_small


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
