"""What delivery costs: by region of the shipping address and by weight, in whole đồng.

Regions follow the 2025 provinces: the cooperatives' own province (Đồng Nai), the rest of the
South (Nam Bộ), and the rest of Vietnam. A price covers the first kilogram; each further
half-kilogram started adds a step. Standard delivery is free from FREE_SHIPPING_THRESHOLD.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SAME_PROVINCE, SOUTH, NATIONWIDE = "same-province", "south", "nationwide"
REGION_NAMES = {
    SAME_PROVINCE: _("trong tỉnh Đồng Nai"),
    SOUTH: _("các tỉnh phía Nam"),
    NATIONWIDE: _("các tỉnh thành khác"),
}
# Nam Bộ after the 2025 merger: Đông Nam Bộ (TP Hồ Chí Minh, Đồng Nai, Tây Ninh) and the Mekong
# delta (Cần Thơ, Vĩnh Long, Đồng Tháp, An Giang, Cà Mau).
SOUTHERN_PROVINCES = frozenset({"75", "79", "80", "82", "86", "91", "92", "96"})

STANDARD, EXPRESS = "standard", "express"


@dataclass(frozen=True)
class Rate:
    first_kg: int  # đồng for a parcel up to 1 kg
    per_half_kg: int  # đồng for each further 0.5 kg or part of it
    days: str  # delivery time shown to the shopper


RATES = {
    STANDARD: {
        SAME_PROVINCE: Rate(20000, 3000, "1–2"),
        SOUTH: Rate(25000, 4000, "2–3"),
        NATIONWIDE: Rate(32000, 5000, "3–5"),
    },
    EXPRESS: {
        SAME_PROVINCE: Rate(30000, 5000, "1"),
        SOUTH: Rate(40000, 6000, "1–2"),
        NATIONWIDE: Rate(55000, 10000, "2–3"),
    },
}


def region_for(province_code) -> str:
    """The pricing region of a province code ("75", "79", ...); unknown or missing is nationwide."""
    code = str(province_code or "").zfill(2)
    if code == settings.SHIPPING_ORIGIN_PROVINCE:
        return SAME_PROVINCE
    if code in SOUTHERN_PROVINCES:
        return SOUTH
    return NATIONWIDE


def charge(method: str, region: str, weight_kg) -> int:
    """The delivery charge in whole đồng for a parcel of `weight_kg` sent with `method` to `region`."""
    rate = RATES[method][region]
    extra = max(Decimal(weight_kg) - 1, Decimal(0))
    steps = math.ceil(extra / Decimal("0.5"))
    return rate.first_kg + steps * rate.per_half_kg


def is_free(method: str, basket_total) -> bool:
    """Standard delivery is free for baskets of FREE_SHIPPING_THRESHOLD đồng or more (0 turns it off)."""
    threshold = settings.FREE_SHIPPING_THRESHOLD
    return method == STANDARD and threshold > 0 and Decimal(basket_total) >= threshold
