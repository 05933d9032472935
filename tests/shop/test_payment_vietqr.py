"""VietQR payloads: NAPAS EMVCo structure, CRC-16/CCITT-FALSE, and a QR that scans back to the same."""

import io

import pytest
import zxingcpp
from PIL import Image

from shop.payment import vietqr

# A VietQR from a bank app (ACB account 257678859, 1.000 ₫, "Chuyen tien"), CRC BBB8.
KNOWN_VIETQR = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
    "5303704540410005802VN62150811Chuyen tien6304BBB8"
)


def crc16_ccitt_false(data: bytes) -> int:
    """Bit-by-bit CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), independent of the library's table."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(payload):
    """Top-level EMVCo fields as {id: value}."""
    fields, i = {}, 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        fields[tag] = payload[i + 4 : i + 4 + length]
        i += 4 + length
    return fields


def test_crc_implementation_matches_the_standard_check_value_and_a_real_vietqr():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert f"{crc16_ccitt_false(KNOWN_VIETQR[:-4].encode()):04X}" == KNOWN_VIETQR[-4:]
    assert vietqr.parse_payload(KNOWN_VIETQR) == {
        "bank_bin": "970416",
        "account": "257678859",
        "amount": 1000,
        "reference": "Chuyen tien",
    }


def test_payload_carries_bank_account_amount_and_reference(settings):
    settings.BANK_BIN, settings.BANK_ACCOUNT = "970436", "0011001234567"
    payload = vietqr.build_payload(1_234_000, "100123")
    fields = tlv(payload)
    assert fields["00"] == "01"
    assert fields["01"] == "12"  # dynamic QR: the amount is fixed
    assert fields["53"] == "704"  # VND
    assert fields["54"] == "1234000"
    assert fields["58"] == "VN"
    merchant = tlv(fields["38"])
    assert merchant["00"] == "A000000727"  # NAPAS
    assert tlv(merchant["01"]) == {"00": "970436", "01": "0011001234567"}
    assert merchant["02"] == "QRIBFTTA"  # transfer to an account
    assert tlv(fields["62"])["08"] == "100123"
    assert payload[-8:-4] == "6304"
    assert f"{crc16_ccitt_false(payload[:-4].encode()):04X}" == payload[-4:]


def test_payload_refuses_fractional_or_zero_amounts_and_odd_references():
    with pytest.raises(ValueError):
        vietqr.build_payload(1000.5, "100123")
    with pytest.raises(ValueError):
        vietqr.build_payload(0, "100123")
    with pytest.raises(ValueError):
        vietqr.build_payload(1000, "Đơn 100123")  # accents are mangled by some banking apps


def test_tampered_payload_fails_the_crc():
    payload = vietqr.build_payload(250000, "100123")
    with pytest.raises(ValueError):
        vietqr.parse_payload(payload.replace("250000", "150000"))


def test_png_scans_back_to_the_payload():
    payload = vietqr.build_payload(485000, "100777")
    image = Image.open(io.BytesIO(vietqr.qr_png(payload)))
    results = zxingcpp.read_barcodes(image)
    assert [result.text for result in results] == [payload]
    assert vietqr.parse_payload(results[0].text)["amount"] == 485000


def test_svg_is_inline_markup_with_a_title():
    svg = vietqr.qr_svg(vietqr.build_payload(1000, "1"), title="Mã VietQR")
    assert svg.startswith("<svg") and "<title>Mã VietQR</title>" in svg
