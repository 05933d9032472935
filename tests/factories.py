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


def bulk_create_products(count, partner_code="bugiamap", price=150000, prefix="DEMO-BULK"):
    """`count` public products with one stock record each, in a few bulk INSERTs (for query-count tests
    and benchmarks at catalogue scale); they join the demo's first category and cooperative.

    Returns the new products' ids. Signals are not sent (no search entries, no page-cache purge).
    """
    from django.utils.text import slugify

    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    ProductCategory = get_model("catalogue", "ProductCategory")
    Category = get_model("catalogue", "Category")
    StockRecord = get_model("partner", "StockRecord")
    partner = Partner.objects.get(code=partner_code)
    product_class = ProductClass.objects.get_or_create(name="Hạt điều")[0]
    category = Category.objects.order_by("path").first()
    cooperative = getattr(partner, "cooperative", None)
    extra = {"cooperative": cooperative} if cooperative is not None else {}
    products = Product.objects.bulk_create(
        [
            Product(
                structure=Product.STANDALONE,
                product_class=product_class,
                title=f"Hạt điều loạt lớn {n:05d}",
                slug=slugify(f"hat-dieu-loat-lon-{n:05d}"),
                upc=f"{prefix}-{n:05d}",
                is_public=True,
                **extra,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=p,
                partner=partner,
                partner_sku=p.upc,
                price_currency="VND",
                price=Decimal(price + (i % 50) * 1000),
                num_in_stock=100,
            )
            for i, p in enumerate(products)
        ],
        batch_size=2000,
    )
    if category is not None:
        ProductCategory.objects.bulk_create(
            [ProductCategory(product=p, category=category) for p in products], batch_size=2000
        )
    return [p.pk for p in products]


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
