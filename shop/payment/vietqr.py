"""VietQR for bank transfers: the NAPAS EMVCo payload and its QR image.

The payload comes from `vietnam-qr-pay` (a port of the widely used vietnam-qr-pay library); its
CRC-16/CCITT-FALSE is checked in the tests against an independent implementation and a VietQR from a
bank app. The shop's account comes from the BANK_* settings; the demo defaults are a sample account.

Used by the thank-you page and the order emails:
    build_payload(250000, "100123") -> "000201010212385..."
    qr_png(payload) / qr_svg(payload)
"""

import io
import re

import segno
from django.conf import settings
from vietnam_qr_pay import QRPay

# What a shopper's banking app shows as the transfer content: ASCII letters and digits are safe in
# every bank's app (some drop accents or punctuation, which would break matching the payment).
_REFERENCE = re.compile(r"^[A-Za-z0-9 ]{1,25}$")


def transfer_reference(order_number):
    """The transfer content we ask for: the order number itself, which staff match on the statement."""
    return str(order_number)


def build_payload(amount, reference):
    """The VietQR payload for transferring exactly `amount` whole đồng to the shop with `reference`.

    `amount` must be a positive whole number of đồng (int, or a Decimal without fraction).
    """
    if int(amount) != amount or int(amount) <= 0:
        raise ValueError("amount must be a positive whole number of đồng")
    if not _REFERENCE.match(reference):
        raise ValueError("reference must be 1-25 ASCII letters, digits or spaces")
    qr = QRPay.init_viet_qr(
        bank_bin=settings.BANK_BIN,
        bank_number=settings.BANK_ACCOUNT,
        amount=str(int(amount)),
        purpose=reference,
    )
    return qr.build()


def parse_payload(payload):
    """Read a VietQR payload back: {'bank_bin', 'account', 'amount', 'reference'}; ValueError if the CRC fails."""
    qr = QRPay(payload)
    if not qr.is_valid:
        raise ValueError("not a valid VietQR payload (CRC or structure)")
    return {
        "bank_bin": qr.consumer.bank_bin,
        "account": qr.consumer.bank_number,
        "amount": int(qr.amount) if qr.amount else None,
        "reference": qr.additional_data.purpose,
    }


def _qr(payload):
    # Medium error correction keeps the code readable from a phone screen or a slightly creased print.
    return segno.make(payload, error="m", micro=False)


def qr_png(payload, scale=6):
    """PNG bytes of the QR code (with the quiet zone banking apps need)."""
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(payload, scale=4, title=""):
    """An inline SVG of the QR code (no XML declaration), for pages and HTML emails."""
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, title=title or None)
    return buffer.getvalue().decode()


def bank_account():
    """The account a transfer goes to, as shown beside the QR code (keys used by pages and emails)."""
    return {
        "bank_name": settings.BANK_NAME,
        "bank_bin": settings.BANK_BIN,
        "account": settings.BANK_ACCOUNT,
        "account_name": settings.BANK_ACCOUNT_NAME,
        "is_sample": settings.BANK_ACCOUNT_IS_SAMPLE,
    }
