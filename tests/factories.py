"""Factories on top of Oscar's, with VND prices and the demo cooperatives."""

from decimal import Decimal

from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

Partner = get_model("partner", "Partner")


def create_product(title="Hạt điều thử nghiệm", price=250000, num_in_stock=10, partner_code="bugiamap", **kwargs):
    """A public standalone product with one stock record at `price` whole đồng."""
    partner = Partner.objects.get(code=partner_code)
    product = oscar_factories.create_product(
        title=title,
        product_class="Hạt điều",
        price=Decimal(price),
        num_in_stock=num_in_stock,
        partner_name=partner.name,
        **kwargs,
    )
    product.stockrecords.update(price_currency="VND")
    return product
