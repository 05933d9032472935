"""The delivery companies a cooperative hands parcels to, as a shipping event records them.

Brand names stay as the companies write them; only "other" is translated. Each has its public
website, which the shopper's pages link to next to the tracking number (the companies' own
tracking pages take the number there; we do not guess their deep-link formats).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Carrier(models.TextChoices):
    GHN = "ghn", "GHN – Giao Hàng Nhanh"
    GHTK = "ghtk", "GHTK – Giao Hàng Tiết Kiệm"
    VIETTEL_POST = "viettel_post", "Viettel Post"
    VNPOST = "vnpost", "VNPost – Bưu điện Việt Nam"
    JT = "jt", "J&T Express"
    OTHER = "other", _("Đơn vị khác (ghi tên)")


WEBSITES = {
    Carrier.GHN: "https://ghn.vn/",
    Carrier.GHTK: "https://ghtk.vn/",
    Carrier.VIETTEL_POST: "https://viettelpost.com.vn/",
    Carrier.VNPOST: "https://vnpost.vn/",
    Carrier.JT: "https://jtexpress.vn/",
}
