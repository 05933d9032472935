"""Sample catalogue for the demo: two real cooperatives, invented products, prices and stock.

Every figure here is a sample. Product codes carry a DEMO- prefix so nobody mistakes them for
real listings. Used by `manage.py seed_demo`; idempotent.
"""

import io
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.text import slugify
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from catalog.demo_trace import seed_traceability

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")

COOPERATIVES = {
    "bugiamap": "HTX Nông nghiệp Bù Gia Mập",
    "huucodongnai": "HTX Nông nghiệp hữu cơ Đồng Nai",
}

# (slug, Vietnamese name, English name)
CATEGORIES = [
    ("dieu-rang-muoi", "Điều rang muối", "Roasted salted cashews"),
    ("dieu-rang-muoi-vo-lua", "Điều rang muối vỏ lụa", "Skin-on roasted cashews"),
    ("dieu-nhan", "Điều nhân", "Cashew kernels"),
    ("dieu-tam-vi", "Điều tẩm vị", "Flavoured cashews"),
    ("hop-qua", "Hộp quà", "Gift boxes"),
]


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    partner: str
    category: str
    title: str
    title_en: str
    price: int  # whole đồng
    stock: int
    weight_g: int
    colour: str


PRODUCTS = [
    DemoProduct(
        "DEMO-BGM-RM-500",
        "bugiamap",
        "dieu-rang-muoi",
        "Hạt điều rang muối Bù Gia Mập 500 g",
        "Bù Gia Mập roasted salted cashews 500 g",
        185000,
        80,
        500,
        "#b5763a",
    ),
    DemoProduct(
        "DEMO-BGM-VL-500",
        "bugiamap",
        "dieu-rang-muoi-vo-lua",
        "Hạt điều rang muối vỏ lụa Bù Gia Mập 500 g",
        "Bù Gia Mập skin-on roasted salted cashews 500 g",
        175000,
        60,
        500,
        "#8a4b22",
    ),
    DemoProduct(
        "DEMO-BGM-W240-500",
        "bugiamap",
        "dieu-nhan",
        "Điều nhân W240 Bù Gia Mập 500 g",
        "Bù Gia Mập W240 cashew kernels 500 g",
        160000,
        100,
        500,
        "#e8cf9c",
    ),
    DemoProduct(
        "DEMO-BGM-W320-1K",
        "bugiamap",
        "dieu-nhan",
        "Điều nhân W320 Bù Gia Mập 1 kg",
        "Bù Gia Mập W320 cashew kernels 1 kg",
        290000,
        40,
        1000,
        "#e2c58a",
    ),
    DemoProduct(
        "DEMO-BGM-TO-250",
        "bugiamap",
        "dieu-tam-vi",
        "Hạt điều rang tỏi ớt Bù Gia Mập 250 g",
        "Bù Gia Mập garlic and chilli cashews 250 g",
        95000,
        70,
        250,
        "#c0502b",
    ),
    DemoProduct(
        "DEMO-BGM-HQ-2X500",
        "bugiamap",
        "hop-qua",
        "Hộp quà hạt điều Bù Gia Mập 2 × 500 g",
        "Bù Gia Mập cashew gift box 2 × 500 g",
        420000,
        25,
        1000,
        "#7a1f1f",
    ),
    DemoProduct(
        "DEMO-BGM-HC-250",
        "bugiamap",
        "dieu-rang-muoi",
        "Hạt điều rang muối hữu cơ Bù Gia Mập 250 g",
        "Bù Gia Mập organic roasted salted cashews 250 g",
        120000,
        90,
        250,
        "#a86a33",
    ),
    DemoProduct(
        "DEMO-HCDN-RM-500",
        "huucodongnai",
        "dieu-rang-muoi",
        "Hạt điều rang muối hữu cơ Đồng Nai 500 g",
        "Đồng Nai organic roasted salted cashews 500 g",
        210000,
        50,
        500,
        "#b07040",
    ),
    DemoProduct(
        "DEMO-HCDN-VL-250",
        "huucodongnai",
        "dieu-rang-muoi-vo-lua",
        "Hạt điều vỏ lụa hữu cơ Đồng Nai 250 g",
        "Đồng Nai organic skin-on cashews 250 g",
        115000,
        45,
        250,
        "#7d4320",
    ),
    DemoProduct(
        "DEMO-HCDN-W180-500",
        "huucodongnai",
        "dieu-nhan",
        "Điều nhân W180 hữu cơ Đồng Nai 500 g",
        "Đồng Nai organic W180 cashew kernels 500 g",
        230000,
        35,
        500,
        "#efd9aa",
    ),
    DemoProduct(
        "DEMO-HCDN-LP-1K",
        "huucodongnai",
        "dieu-nhan",
        "Điều nhân vỡ LP hữu cơ Đồng Nai 1 kg",
        "Đồng Nai organic cashew pieces LP 1 kg",
        180000,
        30,
        1000,
        "#dcc08a",
    ),
    DemoProduct(
        "DEMO-HCDN-MO-250",
        "huucodongnai",
        "dieu-tam-vi",
        "Hạt điều tẩm mật ong Đồng Nai 250 g",
        "Đồng Nai honey-glazed cashews 250 g",
        105000,
        55,
        250,
        "#c98a2b",
    ),
    DemoProduct(
        "DEMO-HCDN-BO-250",
        "huucodongnai",
        "dieu-tam-vi",
        "Hạt điều rang bơ Đồng Nai 250 g",
        "Đồng Nai butter-roasted cashews 250 g",
        99000,
        65,
        250,
        "#d4a24c",
    ),
    DemoProduct(
        "DEMO-HCDN-HQ-TET",
        "huucodongnai",
        "hop-qua",
        "Hộp quà Tết hạt điều hữu cơ Đồng Nai",
        "Đồng Nai organic cashew Tết gift box",
        450000,
        20,
        1200,
        "#9b1c1c",
    ),
]


def product_image(colour: str, seed: str) -> bytes:
    """Draw a simple square picture of cashews on a coloured ground (no downloads, no fonts)."""
    rng = random.Random(seed)
    size = 800
    img = Image.new("RGB", (size, size), "#fbf3e2")
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((60, 60, size - 60, size - 60), radius=48, fill=colour)
    for _ in range(18):
        x, y = rng.randint(140, size - 220), rng.randint(140, size - 220)
        w, h = rng.randint(70, 110), rng.randint(45, 70)
        draw.chord((x, y, x + w, y + h * 2), start=180, end=360, fill="#f6e2b8", outline="#8a5a2b", width=4)
    draw.rectangle((0, size - 70, size, size), fill="#4a2a0c")
    draw.text((24, size - 52), "DEMO - sample image", fill="#fbf3e2", font_size=32)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def seed_catalogue(log) -> dict:
    """Create partners, categories and products; return the partners by code."""
    partners = {}
    for code, name in COOPERATIVES.items():
        partners[code], _ = Partner.objects.update_or_create(code=code, defaults={"name": name})
    log(f"  {len(partners)} cooperatives (Oscar partners)")

    categories = {}
    for slug, name, _name_en in CATEGORIES:
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = Category.add_root(name=name, slug=slug, is_public=True)
        categories[slug] = category
    log(f"  {len(categories)} categories")

    product_class, _ = ProductClass.objects.get_or_create(
        slug="hat-dieu", defaults={"name": "Hạt điều", "requires_shipping": True, "track_stock": True}
    )
    # Shipping weight in kilograms; Oscar's weight-based shipping reads the "weight" attribute.
    product_class.attributes.get_or_create(
        code="weight", defaults={"name": "Khối lượng vận chuyển (kg)", "type": "float", "required": False}
    )
    products = {}
    for item in PRODUCTS:
        product, _ = Product.objects.update_or_create(
            upc=item.sku,
            defaults={
                "title": item.title,
                "title_en": item.title_en,
                "slug": slugify(item.title_en),
                "structure": Product.STANDALONE,
                "product_class": product_class,
                "description": (
                    f"<p>{item.title}. Sản phẩm mẫu để trình diễn: giá, khối lượng và tồn kho là số liệu mẫu.</p>"
                ),
                "description_en": (
                    f"<p>{item.title_en}. A sample product for the demo: price, weight and stock are sample figures.</p>"
                ),
                "is_public": True,
            },
        )
        products[item.sku] = product
        ProductCategory.objects.get_or_create(product=product, category=categories[item.category])
        product.attr.weight = item.weight_g / 1000
        product.attr.save()
        StockRecord.objects.update_or_create(
            product=product,
            partner=partners[item.partner],
            defaults={
                "partner_sku": item.sku,
                "price_currency": "VND",
                "price": item.price,
                "num_in_stock": item.stock,
            },
        )
        if not product.images.exists():
            image = ProductImage(product=product, display_order=0, caption=item.title)
            image.original.save(f"{item.sku.lower()}.jpg", ContentFile(product_image(item.colour, item.sku)), save=True)
    log(f"  {len(PRODUCTS)} products with stock and images")
    seed_traceability(partners, products, log)
    return partners
