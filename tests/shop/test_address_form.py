"""The Vietnamese address form at checkout and in the address book: phone, province → ward, errors."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from shop.address import divisions
from shop.address.forms import UserAddressForm, parse_vietnamese_phone
from tests.factories import create_product
from tests.shop.vn_orders import BU_GIA_MAP, DONG_NAI, vn_address

pytestmark = pytest.mark.django_db

UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")

HO_CHI_MINH = "79"


def address(**overrides):
    return vn_address(**overrides)


@pytest.fixture
def at_shipping_address(client):
    """A guest with a basket, past the checkout's email step."""
    product = create_product(price=185000)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, HTTP_REFERER=product.get_absolute_url())
    response = client.post("/shop/checkout/", {"username": "lan@example.org", "options": "anonymous"})
    assert response.status_code == 302
    return client


class _FormValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("text", "tel", "email"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.strip()


def field_values(html):
    """What the shopper sees filled in: inputs' values, selected options and textareas, by name."""
    parser = _FormValues()
    parser.feed(html)
    return parser.values


# Phone numbers


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("0912 345 678", "+84912345678"),  # Viettel/Vinaphone 09x
        ("0352.345.678", "+84352345678"),  # 03x
        ("0772345678", "+84772345678"),  # 07x
        ("083 234 5678", "+84832345678"),  # 08x
        ("0562345678", "+84562345678"),  # 05x
        ("0251 3822 123", "+842513822123"),  # landline, Đồng Nai 0251
        ("028 3822 1234", "+842838221234"),  # landline, TP Hồ Chí Minh 028
        ("+84 912 345 678", "+84912345678"),
    ],
)
def test_vietnamese_numbers_are_stored_in_e164(typed, e164):
    user = get_user_model().objects.create_user("lan", "lan@example.org", "x")
    form = UserAddressForm(user, data=address(phone_number=typed))
    assert form.is_valid(), form.errors
    saved = form.save()
    saved.refresh_from_db()
    assert saved.phone_number.as_e164 == e164
    assert UserAddress.objects.filter(pk=saved.pk, phone_number=e164).exists()


@pytest.mark.parametrize("typed", ["0123 456", "091234567", "1900 1234", "0212345678", "abc", "+1 202 555 0143"])
def test_phone_numbers_that_are_not_vietnamese_mobiles_or_landlines_are_refused(typed):
    assert parse_vietnamese_phone(typed) is None


def test_invalid_phone_at_checkout_says_how_and_keeps_everything_else(at_shipping_address):
    data = address(phone_number="0123 456")
    response = at_shipping_address.post("/shop/checkout/shipping-address/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số điện thoại chưa đúng" in html
    assert "0912 345 678" in html  # the example of a valid number
    # The message sits next to the field and the field points at it.
    assert 'id="id_phone_number_error"' in html
    assert re.search(r'name="phone_number"[^>]*aria-invalid="true"', html)
    assert re.search(r'name="phone_number"[^>]*aria-describedby="[^"]*id_phone_number_error', html)
    kept = field_values(html)
    assert kept["first_name"] == data["first_name"]
    assert kept["phone_number"] == data["phone_number"]
    assert kept["line1"] == data["line1"]
    assert kept["province_code"] == DONG_NAI
    assert kept["ward_code"] == BU_GIA_MAP
    assert kept["notes"] == data["notes"]


def test_foreign_phone_gets_its_own_message(at_shipping_address):
    response = at_shipping_address.post("/shop/checkout/shipping-address/", address(phone_number="+1 202 555 0143"))
    assert "chỉ giao hàng trong Việt Nam" in response.content.decode()


def test_missing_ward_is_named_and_nothing_else_is_lost(at_shipping_address):
    data = address(ward_code="")
    response = at_shipping_address.post("/shop/checkout/shipping-address/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vui lòng chọn phường/xã." in html
    assert 'id="id_ward_code_error"' in html
    assert list(response.context["form"].errors) == ["ward_code"]
    kept = field_values(html)
    assert kept["first_name"] == data["first_name"]
    assert kept["phone_number"] == data["phone_number"]
    assert kept["line1"] == data["line1"]
    assert kept["province_code"] == DONG_NAI
    # The ward list is already the chosen province's, ready to pick from.
    assert "Xã Bù Gia Mập" in html and "Phường Sài Gòn" not in html


def test_ward_of_another_province_is_refused(at_shipping_address):
    response = at_shipping_address.post(
        "/shop/checkout/shipping-address/", address(province_code=HO_CHI_MINH, ward_code=BU_GIA_MAP)
    )
    assert "không thuộc tỉnh/thành phố đã chọn" in response.content.decode()


def test_valid_address_stores_codes_names_and_e164(at_shipping_address):
    response = at_shipping_address.post("/shop/checkout/shipping-address/", address())
    assert response.status_code == 302
    assert response["Location"].endswith("/shop/checkout/shipping-method/")
    fields = at_shipping_address.session["checkout_data"]["shipping"]["new_address_fields"]
    shipping = ShippingAddress(**fields)
    assert (shipping.province_code, shipping.ward_code) == (DONG_NAI, BU_GIA_MAP)
    assert (shipping.state, shipping.line4) == ("Đồng Nai", "Xã Bù Gia Mập")
    assert shipping.country_id == "VN"
    shipping.save()
    shipping.refresh_from_db()
    assert str(shipping.phone_number.as_e164) == "+84912345678"
    assert shipping.active_address_fields() == [
        "Nguyễn Thị Lan",
        "Thôn 3, đường ĐT 741",
        "Xã Bù Gia Mập",
        "Đồng Nai",
        "Việt Nam",
    ]


def test_postcode_is_optional_and_five_digits(at_shipping_address):
    response = at_shipping_address.post("/shop/checkout/shipping-address/", address(postcode="67000"))
    assert response.status_code == 302
    response = at_shipping_address.post("/shop/checkout/shipping-address/", address(postcode="12"))
    assert "Mã bưu chính gồm 5 chữ số" in response.content.decode()


# Province → ward without JavaScript


def test_show_wards_button_redisplays_with_that_provinces_wards_and_no_errors(at_shipping_address):
    data = address(province_code=HO_CHI_MINH, ward_code="", phone_number="")
    data["refresh_wards"] = "1"
    response = at_shipping_address.post("/shop/checkout/shipping-address/", data)
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    assert not form.is_valid()
    assert "error-summary" not in html and "errorlist" not in html
    assert "Phường Sài Gòn" in html and "Xã Bù Gia Mập" not in html
    wards = form.fields["ward_code"].choices[1:]
    assert len(wards) == len(divisions.wards_of(HO_CHI_MINH))
    assert field_values(html)["first_name"] == data["first_name"]
    assert "Đã cập nhật danh sách phường/xã." in html


def test_page_says_delivery_is_within_vietnam_and_loads_the_enhancement(at_shipping_address):
    html = at_shipping_address.get("/shop/checkout/shipping-address/").content.decode()
    assert "Chúng tôi chỉ giao hàng trong lãnh thổ Việt Nam" in html
    assert "shop/js/address-wards.js" in html
    assert 'data-wards-url="/shop/dia-chi/phuong-xa/"' in html
    assert 'name="refresh_wards"' in html and "formnovalidate" in html
    assert 'name="country"' not in html


def test_english_checkout_uses_the_english_urls(client):
    product = create_product(price=185000)
    client.post(f"/en/shop/basket/add/{product.pk}/", {"quantity": 1}, HTTP_REFERER="/en/")
    client.post("/en/shop/checkout/", {"username": "lan@example.org", "options": "anonymous"})
    response = client.get("/en/shop/checkout/shipping-address/")
    assert response.status_code == 200
    assert 'data-wards-url="/en/shop/dia-chi/phuong-xa/"' in response.content.decode()


# The JSON endpoint used by shop/js/address-wards.js


def test_wards_json_for_a_province(client):
    response = client.get("/shop/dia-chi/phuong-xa/", {"tinh": DONG_NAI})
    assert response.status_code == 200
    data = response.json()
    assert data["province"] == {"code": "75", "name": "Đồng Nai"}
    assert {"code": BU_GIA_MAP, "name": "Xã Bù Gia Mập"} in data["wards"]
    assert len(data["wards"]) == len(divisions.wards_of(DONG_NAI))
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("code", ["99", "", "abc"])
def test_wards_json_unknown_province_is_404(client, code):
    assert client.get("/shop/dia-chi/phuong-xa/", {"tinh": code}).status_code == 404


def test_division_data_is_the_2025_two_level_system():
    assert len(divisions.provinces()) == 34
    assert sum(len(divisions.wards_of(p.code)) for p in divisions.provinces()) == 3321
    # Bình Phước (where Bù Gia Mập was) is part of Đồng Nai since 1 July 2025.
    assert divisions.get_ward(BU_GIA_MAP, province=DONG_NAI).name == "Xã Bù Gia Mập"
    assert "Bình Phước" not in {p.name for p in divisions.provinces()}


# The address book


def test_address_book_form_is_the_vietnamese_one(client):
    user = get_user_model().objects.create_user("lan", "lan@example.org", "pw-12345-lan")
    client.force_login(user)
    response = client.get("/shop/accounts/addresses/add/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="province_code"' in html and 'name="ward_code"' in html and 'name="last_name"' not in html
    response = client.post("/shop/accounts/addresses/add/", address(phone_number="0251 3822 123"))
    assert response.status_code == 302
    saved = user.addresses.get()
    assert (saved.province_code, saved.ward_code, saved.line4) == (DONG_NAI, BU_GIA_MAP, "Xã Bù Gia Mập")
    assert saved.phone_number.as_e164 == "+842513822123"
    # Editing shows the saved ward selected in the saved province's list.
    html = client.get(f"/shop/accounts/addresses/{saved.pk}/").content.decode()
    assert field_values(html)["ward_code"] == BU_GIA_MAP
