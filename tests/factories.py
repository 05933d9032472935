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


def create_fair(code="HCM2026", products=(), frame_origins="", **fields):
    """A published trade fair page under the demo news index, showing `products`."""
    from datetime import timedelta

    from django.utils import timezone

    from cms.models import NewsIndexPage, TradeFairPage

    index = NewsIndexPage.objects.filter(locale__language_code="vi").first()
    today = timezone.localdate()
    fair = TradeFairPage(
        title=fields.pop("title", f"Hội chợ thử {code}"),
        slug=fields.pop("slug", f"hoi-cho-{code.lower()}"),
        code=code,
        frame_origins=frame_origins,
        start_date=fields.pop("start_date", today),
        end_date=fields.pop("end_date", today + timedelta(days=3)),
        venue=fields.pop("venue", "Nhà thi đấu thử"),
        featured_products=[{"type": "product", "value": p.pk} for p in products],
        **fields,
    )
    index.add_child(instance=fair)
    fair.save_revision().publish()
    return fair
