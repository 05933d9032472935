"""Standard and express delivery within Vietnam, priced by region and weight (see rates)."""

from decimal import Decimal

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import Base
from oscar.apps.shipping.scales import Scale
from oscar.core import prices
from oscar.templatetags.currency_filters import currency

from shop.shipping import rates


class RegionalDelivery(Base):
    """A delivery method whose price depends on the shipping address's province and the basket's weight."""

    method = None

    def __init__(self, province_code=""):
        self.province_code = province_code or ""
        self.region = rates.region_for(self.province_code)

    @property
    def code(self):
        return self.method

    @cached_property
    def rate(self) -> rates.Rate:
        return rates.RATES[self.method][self.region]

    def weigh(self, basket) -> Decimal:
        """Basket weight in kg from each product's `weight` attribute; a default for products without one."""
        scale = Scale(attribute_code="weight", default_weight=settings.SHIPPING_DEFAULT_WEIGHT_KG)
        return scale.weigh_basket(basket)

    def calculate(self, basket):
        if rates.is_free(self.method, basket.total_incl_tax):
            amount = 0
        else:
            amount = rates.charge(self.method, self.region, self.weigh(basket))
        return prices.Price(currency=basket.currency, excl_tax=Decimal(amount), tax=Decimal(0))


class Standard(RegionalDelivery):
    method = rates.STANDARD
    name = _("Giao hàng tiêu chuẩn")

    @property
    def description(self):
        text = gettext("Giao trong %(days)s ngày làm việc tới %(region)s.") % {
            "days": self.rate.days,
            "region": rates.REGION_NAMES[self.region],
        }
        if settings.FREE_SHIPPING_THRESHOLD > 0:
            text += " " + gettext("Miễn phí cho đơn hàng từ %(threshold)s.") % {
                "threshold": currency(settings.FREE_SHIPPING_THRESHOLD, "VND")
            }
        return text


class Express(RegionalDelivery):
    method = rates.EXPRESS
    name = _("Giao hàng nhanh")

    @property
    def description(self):
        return gettext("Giao trong %(days)s ngày làm việc tới %(region)s.") % {
            "days": self.rate.days,
            "region": rates.REGION_NAMES[self.region],
        }
