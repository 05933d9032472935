"""Orders with Vietnamese shipping addresses for the email and tracking tests."""

from decimal import Decimal

from django.utils import translation
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shop.address import divisions
from tests.factories import create_product

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Default = get_class("partner.strategy", "Default")
Standard = get_class("shipping.methods", "Standard")

DONG_NAI = "75"
BU_GIA_MAP = next(w.code for w in divisions.wards_of(DONG_NAI) if w.name == "Xã Bù Gia Mập")


def vn_address(**overrides) -> dict:
    """Form data for a valid delivery address in Xã Bù Gia Mập, Đồng Nai."""
    data = {
        "first_name": "Nguyễn Thị Lan",
        "phone_number": "0912 345 678",
        "province_code": DONG_NAI,
        "ward_code": BU_GIA_MAP,
        "line1": "Thôn 3, đường ĐT 741",
        "postcode": "",
        "notes": "Gọi trước 30 phút",
    }
    data.update(overrides)
    return data


def place_vn_order(language="vi", email="lan@example.org", phone="+84912345678", number=None, items=None):
    """A guest order placed in `language` (as the checkout would): two demo-like lines, standard delivery."""
    items = items or [("Hạt điều rang muối thử 500 g", "Roasted salted cashews test 500 g", 185000, 2)]
    basket = Basket.objects.create()
    basket.strategy = Default()
    for title, title_en, price, quantity in items:
        product = create_product(title=title, price=price, num_in_stock=20)
        product.title_en = title_en
        product.save()
        basket.add_product(product, quantity)
    address = ShippingAddress(
        first_name="Nguyễn Thị Lan",
        line1="Thôn 3, đường ĐT 741",
        phone_number=phone,
        country=Country.objects.get(pk="VN"),
    )
    address.set_division(DONG_NAI, BU_GIA_MAP)
    address.save()
    with translation.override(language):
        order = create_order(
            number=number,
            basket=basket,
            shipping_address=address,
            shipping_method=Standard(DONG_NAI),
            guest_email=email,
        )
    order.refresh_from_db()  # as every later reader sees it (number as text)
    assert order.total_incl_tax == order.total_incl_tax.to_integral_value() > Decimal(0)
    return order
