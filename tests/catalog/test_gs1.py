"""GTIN check digits and lot codes (GS1 AI 10) are validated with biip; GTINs are stored as GTIN-14."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from catalog import gs1
from catalog.models import Lot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "gtin14"),
    [
        ("02000000000107", "02000000000107"),  # GTIN-14
        ("2000000000107", "02000000000107"),  # GTIN-13 normalised
        ("8930000000019", "08930000000019"),  # GTIN-13, GS1 Vietnam prefix
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("96385074", "00000096385074"),  # GTIN-8
    ],
)
def test_valid_gtins_normalise_to_gtin14(value, gtin14):
    assert gs1.normalise_gtin(value) == gtin14
    gs1.validate_gtin(value)


@pytest.mark.parametrize(
    "value",
    [
        "02000000000108",  # wrong check digit
        "2000000000108",  # GTIN-13, wrong check digit
        "0200000000010",  # 13 digits, wrong check digit
        "020000000001",  # 12 digits, wrong
        "1234567",  # 7 digits
        "123456789012345",  # 15 digits
        "02000000O00107",  # a letter O
        "",
    ],
)
def test_invalid_gtins_are_refused(value):
    with pytest.raises(gs1.InvalidIdentifier):
        gs1.normalise_gtin(value)
    with pytest.raises(ValidationError):
        gs1.validate_gtin(value)


def test_product_stores_gtin13_as_gtin14(make_product):
    product = make_product("2000000000992")
    product.refresh_from_db()
    assert product.gtin == "02000000000992"
    assert product.digital_link.endswith("/01/02000000000992")


def test_product_refuses_a_bad_check_digit(make_product):
    product = make_product("02000000000992")
    product.gtin = "02000000000993"
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert "gtin" in excinfo.value.message_dict


def test_gtin13_and_gtin14_of_one_item_cannot_be_two_products(make_product):
    make_product("02000000000992")
    with pytest.raises(IntegrityError):
        make_product("2000000000992", title="Bản sao")


@pytest.mark.parametrize("code", ["DEMO-BGM01-A", "A", "L" * 20, "AB!%&'()*+,-.:;<=>?_z", "123-XYZ"[:20]])
def test_valid_lot_codes(code):
    gs1.validate_lot_code(code[:20])


@pytest.mark.parametrize("code", ["", "L" * 21, "LÔ1", "LOT 1", "A/B", "LOT#1", "tab\t"])
def test_invalid_lot_codes(code):
    with pytest.raises(ValidationError):
        gs1.validate_lot_code(code)


def test_lot_full_clean_uses_the_ai10_rule(demo_lot):
    lot = Lot(product=demo_lot.product, code="LÔ SAI")
    with pytest.raises(ValidationError) as excinfo:
        lot.full_clean()
    assert "code" in excinfo.value.message_dict


def test_digital_link_path_is_built_and_parsed_by_biip():
    path = gs1.digital_link_path("02000000000107", "A?%1")
    assert path == "/01/02000000000107/10/A%3F%251"
    parsed = gs1.parse_request_path("/01/02000000000107/10/A?%1")  # WSGI decodes the path
    assert (parsed.gtin14, parsed.lot) == ("02000000000107", "A?%1")
