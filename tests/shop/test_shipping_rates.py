"""Delivery prices: by region of the shipping address, by weight, free from a threshold; whole đồng."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model

from shop.shipping import rates
from shop.shipping.repository import Repository
from tests.factories import create_product
from tests.shop.vn_orders import vn_address

pytestmark = pytest.mark.django_db

ShippingAddress = get_model("order", "ShippingAddress")
Basket = get_model("basket", "Basket")
Default = get_class("partner.strategy", "Default")

DONG_NAI, HO_CHI_MINH, CAN_THO, HA_NOI, LAM_DONG = "75", "79", "92", "01", "68"


def basket_of(*items):
    """A basket with (price in đồng, weight in kg or None, quantity) items."""
    basket = Basket.objects.create()
    basket.strategy = Default()
    for price, weight, quantity in items:
        product = create_product(price=price, num_in_stock=50)
        if weight is not None:
            product.attr.weight = weight
            product.attr.save()
        basket.add_product(product, quantity)
    return basket


def prices(basket, province_code):
    address = ShippingAddress(province_code=province_code) if province_code is not None else None
    methods = Repository().get_shipping_methods(basket, shipping_addr=address)
    return {method.code: method.calculate(basket).incl_tax for method in methods}


@pytest.mark.parametrize(
    "province, region",
    [
        (DONG_NAI, rates.SAME_PROVINCE),
        (HO_CHI_MINH, rates.SOUTH),
        ("80", rates.SOUTH),  # Tây Ninh (with the former Long An)
        (CAN_THO, rates.SOUTH),
        ("96", rates.SOUTH),  # Cà Mau
        (HA_NOI, rates.NATIONWIDE),
        (LAM_DONG, rates.NATIONWIDE),
        ("48", rates.NATIONWIDE),  # Đà Nẵng
        ("", rates.NATIONWIDE),
        (None, rates.NATIONWIDE),
    ],
)
def test_region_from_the_province_code(province, region):
    assert rates.region_for(province) == region


@pytest.mark.parametrize(
    "weight, standard, express",
    [
        ("0.25", 25000, 40000),
        ("1", 25000, 40000),
        ("1.01", 29000, 46000),  # a started half-kilogram counts
        ("1.5", 29000, 46000),
        ("2", 33000, 52000),
        ("5.2", 61000, 94000),  # 4.2 kg over the first: 9 steps
    ],
)
def test_price_grows_by_half_kilogram_steps(weight, standard, express):
    assert rates.charge(rates.STANDARD, rates.SOUTH, Decimal(weight)) == standard
    assert rates.charge(rates.EXPRESS, rates.SOUTH, Decimal(weight)) == express


def test_prices_per_region_for_one_kilogram_are_whole_dong():
    basket = basket_of((185000, 0.5, 2))  # 370.000 đ, 1 kg: below the free threshold
    expected = {
        DONG_NAI: {"standard": 20000, "express": 30000},
        HO_CHI_MINH: {"standard": 25000, "express": 40000},
        HA_NOI: {"standard": 32000, "express": 55000},
    }
    for province, charges in expected.items():
        got = prices(basket, province)
        assert got == {code: Decimal(amount) for code, amount in charges.items()}, province
        for amount in got.values():
            assert amount == amount.to_integral_value()
            assert isinstance(int(amount), int)


def test_heavier_basket_costs_more_in_the_same_region():
    light = basket_of((100000, 0.25, 1))
    heavy = basket_of((100000, 1.2, 3))  # 3.6 kg, 300.000 đ
    assert prices(light, HA_NOI)["standard"] == 32000
    assert prices(heavy, HA_NOI)["standard"] == 32000 + 6 * 5000
    assert prices(heavy, HA_NOI)["express"] == 55000 + 6 * 10000


def test_standard_is_free_from_the_threshold_and_express_is_not():
    basket = basket_of((250000, 0.5, 2))  # exactly 500.000 đ
    got = prices(basket, HA_NOI)
    assert got["standard"] == 0
    assert got["express"] == 55000
    just_below = basket_of((249999, 0.5, 2))
    assert prices(just_below, HA_NOI)["standard"] == 32000


def test_threshold_comes_from_settings(settings):
    basket = basket_of((250000, 0.5, 2))
    settings.FREE_SHIPPING_THRESHOLD = 1000000
    assert prices(basket, DONG_NAI)["standard"] == 20000
    settings.FREE_SHIPPING_THRESHOLD = 0  # never free
    assert prices(basket, DONG_NAI)["standard"] == 20000


def test_product_without_weight_counts_as_the_default(settings):
    basket = basket_of((100000, None, 3))  # 3 × 0.5 kg by default
    assert prices(basket, HO_CHI_MINH)["standard"] == 25000 + 1 * 4000
    settings.SHIPPING_DEFAULT_WEIGHT_KG = "1"
    assert prices(basket, HO_CHI_MINH)["standard"] == 25000 + 4 * 4000


def test_without_an_address_the_estimate_is_the_dearest_region():
    basket = basket_of((185000, 0.5, 1))
    assert prices(basket, None) == prices(basket, HA_NOI)


def test_demo_products_weigh_what_their_label_says():
    from catalog.demo import PRODUCTS, Product

    item = next(p for p in PRODUCTS if p.weight_g == 1000)
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(Product.objects.get(upc=item.sku), 2)
    assert rates.region_for(DONG_NAI) == rates.SAME_PROVINCE
    assert prices(basket, DONG_NAI)["express"] == 30000 + 2 * 5000


def test_checkout_shipping_step_lists_both_methods_with_prices(client):
    product = create_product(price=185000)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, HTTP_REFERER=product.get_absolute_url())
    client.post("/shop/checkout/", {"username": "lan@example.org", "options": "anonymous"})
    response = client.post("/shop/checkout/shipping-address/", vn_address(province_code=HA_NOI, ward_code="00004"))
    assert response.status_code == 302, response.context["form"].errors
    response = client.get("/shop/checkout/shipping-method/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Giao hàng tiêu chuẩn" in html and "Giao hàng nhanh" in html
    # No weight attribute on the test product: 0.5 kg, within the first kilogram.
    assert "32.000\xa0₫" in html and "55.000\xa0₫" in html
    assert "Chúng tôi chỉ giao hàng trong Việt Nam" in html
    response = client.post("/shop/checkout/shipping-method/", {"method_code": "express"})
    assert response.status_code == 302


def test_express_charge_is_a_tax_known_whole_dong_price():
    basket = basket_of((99000, 0.25, 1))
    method = Repository().get_shipping_methods(basket, shipping_addr=ShippingAddress(province_code=DONG_NAI))[1]
    charge = method.calculate(basket)
    assert method.code == "express"
    assert charge.excl_tax == charge.incl_tax == charge.incl_tax.to_integral_value()
