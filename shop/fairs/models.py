"""What the shop remembers about trade fairs as a sales channel.

A fair is named by its TradeFairPage's `translation_key`, the one value its Vietnamese and English
pages share (and that survives a change of code); `code` is kept as it was at the time, for people.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def attribution_window() -> timedelta:
    return timedelta(days=settings.FAIR_ATTRIBUTION_DAYS)


class FairCount(models.Model):
    """One counter per fair, day and kind: embed views, clicks out of embeds, visits by short link or QR."""

    class Kind(models.TextChoices):
        EMBED_VIEW = "embed_view", _("Lượt xem khung nhúng")
        EMBED_CLICK = "embed_click", _("Lượt bấm từ khung nhúng")
        LINK_CLICK = "link_click", _("Lượt vào qua mã QR hoặc đường dẫn")

    fair_key = models.UUIDField(verbose_name=_("Hội chợ"))
    day = models.DateField(verbose_name=_("Ngày"))
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("Loại"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("Số lượt"))

    class Meta:
        verbose_name = _("Số lượt theo ngày của hội chợ")
        constraints = [models.UniqueConstraint(fields=["fair_key", "day", "kind"], name="fairs_count_one_per_day")]

    def __str__(self):
        return f"{self.fair_key} {self.day} {self.kind}: {self.count}"

    @classmethod
    def bump(cls, fair_key, kind, day=None) -> None:
        """Add one to today's counter: one UPDATE, or one INSERT for the day's first (races retried)."""
        day = day or timezone.localdate()
        rows = cls.objects.filter(fair_key=fair_key, day=day, kind=kind)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(fair_key=fair_key, day=day, kind=kind, count=1)
        except IntegrityError:  # another request created the row first
            rows.update(count=F("count") + 1)


class Attribution(models.Model):
    """The fair a visitor first came through (first touch) and when."""

    class Source(models.TextChoices):
        EMBED = "embed", _("Khung nhúng")
        LINK = "link", _("Mã QR hoặc đường dẫn")

    fair_key = models.UUIDField(db_index=True, verbose_name=_("Hội chợ"))
    code = models.CharField(max_length=20, verbose_name=_("Mã hội chợ"))
    source = models.CharField(max_length=8, choices=Source.choices, verbose_name=_("Đến từ"))
    touched_at = models.DateTimeField(verbose_name=_("Lần đầu đến từ hội chợ"))

    class Meta:
        abstract = True

    def in_force(self, at=None) -> bool:
        """True while the first touch is within FAIR_ATTRIBUTION_DAYS of `at` (default now)."""
        return (at or timezone.now()) - self.touched_at <= attribution_window()


class BasketAttribution(Attribution):
    """The fair a basket came through; it travels to the order even when no browser places it (webhooks)."""

    basket = models.OneToOneField(
        "basket.Basket", on_delete=models.CASCADE, related_name="fair_attribution", verbose_name=_("Giỏ hàng")
    )

    class Meta:
        verbose_name = _("Giỏ hàng đến từ hội chợ")

    def __str__(self):
        return f"basket {self.basket_id} ← {self.code}"


class OrderAttribution(Attribution):
    """The fair an order is counted for in the fair report."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="fair_attribution", verbose_name=_("Đơn hàng")
    )

    class Meta:
        verbose_name = _("Đơn hàng đến từ hội chợ")

    def __str__(self):
        return f"{self.order_id} ← {self.code}"
