"""Sample page tree for the demo: Vietnamese source pages, English through wagtail-localize. Idempotent.

Every page is flagged `is_sample` and says so on screen: the stories, quotes, names, figures and
dates below are written for the demo. The two cooperatives are real; what is said about them here
is not a statement of fact (see ../shared/notes/domain.md).

English pages are made the way an editor would: each Vietnamese page becomes a wagtail-localize
translation source, its strings are exported as a PO file, the English strings are filled in from
`EN` (our stand-in for a translator) and imported, and the translation is published.
"""

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms import search
from cms.models import (
    ArticlePage,
    CollectionPage,
    CooperativeIndexPage,
    CooperativePage,
    FooterLink,
    FooterSettings,
    HomePage,
    MenuItem,
    MenuSettings,
    NewsIndexPage,
    StandardPage,
    TradeFairPage,
)

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")

# Vietnamese source text -> English, filled in as a translator would through the PO workflow.
EN: dict[str, str] = {}


def t(vi: str, en: str) -> str:
    """Vietnamese text whose English translation the demo's "translator" knows."""
    EN[vi] = en
    return vi


def rich(*paragraphs: tuple[str, str]) -> str:
    """Rich text of plain paragraphs, each (vi, en)."""
    return "".join(f"<p>{t(vi, en)}</p>" for vi, en in paragraphs)


# IMAGES (drawn locally with Pillow: no downloads)
# ------------------------------------------------------------------------------
PALETTES = {
    "orchard": ("#9fd0e8", "#5b8f3a", "#2f5d1f"),
    "harvest": ("#f3d9a4", "#b5763a", "#6b3d12"),
    "drying": ("#cfe3ef", "#d9a55b", "#8a5a2b"),
    "people": ("#f6e2b8", "#7a9a4a", "#4a2a0c"),
    "fair": ("#f7d7d0", "#a4161a", "#6b3d12"),
    "kernels": ("#fbf3e2", "#e8cf9c", "#8a4b22"),
}


def _draw(kind: str, seed: str, size=(1600, 900)) -> bytes:
    """A simple landscape: sky, two hills, cashew trees or nuts, and a DEMO label."""
    sky, hill, dark = PALETTES[kind]
    rng = random.Random(seed)
    width, height = size
    img = PILImage.new("RGB", size, sky)
    draw = ImageDraw.Draw(img)
    draw.ellipse((-width // 3, height // 2, width, height * 2), fill=hill)
    draw.ellipse((width // 3, height * 3 // 5, width * 3 // 2, height * 2), fill=dark)
    for _ in range(14):
        x, y = rng.randint(0, width), rng.randint(height // 2, height - 80)
        r = rng.randint(30, 70)
        draw.rectangle((x - 6, y, x + 6, y + r), fill="#4a2a0c")
        draw.ellipse((x - r, y - r, x + r, y + r // 2), fill="#3f7a2a" if kind != "kernels" else "#e2c58a")
    draw.rectangle((0, height - 60, width, height), fill="#4a2a0c")
    draw.text((24, height - 46), "DEMO - anh mau / sample image", fill="#fbf3e2", font_size=32)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def demo_image(title: str, kind: str, size=(1600, 900), collection=None):
    """Get or create a Wagtail image by title, in `collection` (default: the root, the platform's)."""
    from django.core.files.images import ImageFile
    from wagtail.models import Collection

    Image = get_image_model()
    collection = collection or Collection.get_first_root_node()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, collection=collection)
        image.file = ImageFile(io.BytesIO(_draw(kind, title, size)), name=f"{slugify(title)[:60]}.jpg")
        image.save()
    elif image.collection_id != collection.pk:
        image.collection = collection
        image.save(update_fields=["collection"])
    return image


# What each cooperative's page shows: its own pictures, in its collection, which its staff may choose.
COOPERATIVE_IMAGE_KINDS = ("orchard", "harvest", "drying", "people", "kernels")


def cooperative_images(partner) -> dict:
    """The cooperative's sample pictures in its media collection (catalog.scoping.media_collection)."""
    from catalog.scoping import media_collection

    cooperative = partner.cooperative
    collection = media_collection(cooperative)
    return {
        kind: demo_image(f"Ảnh mẫu: {kind} · {cooperative.name}", kind, collection=collection)
        for kind in COOPERATIVE_IMAGE_KINDS
    }


# CONTENT
# ------------------------------------------------------------------------------
def _product_ids(*skus):
    found = dict(Product.objects.filter(upc__in=skus).values_list("upc", "pk"))
    return [found[s] for s in skus if s in found]


def _paragraph(vi, en):
    return {"type": "paragraph", "value": rich((vi, en))}


def _heading(vi, en, level="h2"):
    return {"type": "heading", "value": {"text": t(vi, en), "level": level}}


def _grower_story(images):
    return {
        "type": "grower_story",
        "value": {
            "quote": t(
                "Trước đây tôi bán điều tươi cho thương lái, giá lên xuống thất thường. Vào hợp tác xã, "
                "cả thôn cùng làm hữu cơ, có người mua ổn định và biết hạt điều của mình đi đâu.",
                "I used to sell fresh nuts to traders at whatever price they offered. Since joining the "
                "cooperative the whole hamlet farms organically, we have steady buyers and we know where our "
                "cashews go.",
            ),
            "name": t("Chị H’Linh (nhân vật mẫu)", "H’Linh (a sample character)"),
            "role": t("Xã viên, thôn Bù Lư", "Member, Bù Lư hamlet"),
            "photo": images["people"].pk,
            "consent": True,
        },
    }


def _faq():
    items = [
        (
            ("Hạt điều bảo quản được bao lâu?", "How long do the cashews keep?"),
            (
                "Khoảng 6 tháng trong túi kín, nơi khô mát; sau khi mở nên dùng trong 2 tuần (thông tin mẫu).",
                "About 6 months in the sealed bag in a cool, dry place; once opened, within 2 weeks "
                "(sample information).",
            ),
        ),
        (
            ("Làm sao biết hạt điều đến từ vùng nào?", "How do I know where my cashews come from?"),
            (
                "Quét mã QR trên túi: trang lô hàng cho biết vùng nguyên liệu, ngày thu hoạch và các bước chế biến.",
                "Scan the QR code on the bag: the lot page shows the raw-material zone, the harvest date and "
                "each processing step.",
            ),
        ),
    ]
    return {
        "type": "faq",
        "value": {
            "heading": t("Câu hỏi thường gặp", "Frequently asked questions"),
            "items": [{"question": t(*q), "answer": rich(a)} for q, a in items],
        },
    }


def _explainer():
    return {
        "type": "certification_explainer",
        "value": {
            "heading": t("OCOP, VietGAP và hữu cơ nghĩa là gì?", "What do OCOP, VietGAP and organic mean?"),
            "certifications": ["ocop", "vietgap", "organic"],
            "note": "",
        },
    }


def _video(images):
    return {
        "type": "video",
        "value": {
            "title": t("Một ngày ở vườn điều (video mẫu)", "A day in the cashew orchard (sample video)"),
            "poster": images["orchard"].pk,
            "video_file": None,
            "url": "https://example.org/video-mau",
            "caption": t(
                "Video mẫu: đường dẫn chưa trỏ đến video thật.", "Sample video: the link is not a real video yet."
            ),
            "transcript": "",
        },
    }


# PAGE TREE
# ------------------------------------------------------------------------------
@transaction.atomic
def seed_pages(log) -> HomePage:
    """Build (or complete) the page tree in Vietnamese, translate it into English, set menus and footer."""
    vi, _ = Locale.objects.get_or_create(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    images = {kind: demo_image(f"Ảnh mẫu: {kind}", kind) for kind in PALETTES}
    images["social"] = demo_image("Ảnh mẫu: chia sẻ", "harvest", size=(1200, 630))

    home = _home(vi, images)
    pages = [home]
    pages += _standard_pages(home)
    coop_index, coops = _cooperatives(home, images)
    pages += [coop_index, *coops]
    pages += _collections(home, images)
    pages += _news(home, images)
    for page in pages:
        translate(page, en)
    _settings(home, images)
    log(f"  {len(pages)} pages in Vietnamese, translated into English with wagtail-localize")
    n = search.rebuild()
    log(f"  search: {n} entries")
    return home


def _home(vi, images) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        home = HomePage(
            slug="trang-chu",
            locale=vi,
            title=t("Hạt điều OCOP từ Bù Gia Mập và Đồng Nai", "OCOP cashews from Bù Gia Mập and Đồng Nai"),
            intro=t(
                "Hạt điều của hai hợp tác xã vùng đồng bào dân tộc thiểu số ở Đồng Nai (trước đây là Bình Phước): "
                "truy xuất được vùng nguyên liệu VietGAP và hữu cơ, từ vườn đến túi.",
                "Cashews from two cooperatives in the ethnic-minority districts of Đồng Nai (formerly Bình Phước): "
                "traceable to VietGAP and organic raw-material zones, from orchard to bag.",
            ),
        )
        root.add_child(instance=home)
    else:
        # Keep the English the foundation's demo already used for the home page.
        t(home.title, "OCOP cashews from Bù Gia Mập and Đồng Nai")
        t(home.intro, _home_intro_en())
    if not any(block.block_type == "product_grid" for block in home.body):
        home.hero_image = images["orchard"]
        home.social_image = images["social"]
        home.is_sample = True
        home.body = [
            _heading("Từ vườn điều đến tay bạn", "From the orchard to you"),
            _paragraph(
                "Mỗi túi hạt điều có một mã QR dẫn đến lô hàng: vùng trồng, ngày thu hoạch, các bước chế biến và "
                "chứng nhận. Nội dung trên trang này là dữ liệu mẫu để trình diễn.",
                "Every bag carries a QR code that leads to its lot: the zone, the harvest date, each processing "
                "step and the certificates. Content on this page is sample data for the demo.",
            ),
            {
                "type": "product_grid",
                "value": {
                    "heading": t("Sản phẩm nổi bật", "Featured products"),
                    "products": _product_ids(
                        "DEMO-BGM-RM-500", "DEMO-HCDN-RM-500", "DEMO-BGM-VL-500", "DEMO-HCDN-HQ-TET"
                    ),
                },
            },
            _explainer(),
            _grower_story(images),
            _faq(),
        ]
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if not isinstance(old_root.specific, HomePage):
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" page
    site.site_name = "Hạt điều HTX Đồng Nai"
    site.save()
    return home


def _home_intro_en():
    return (
        "Cashews from two cooperatives in the ethnic-minority districts of Đồng Nai (formerly Bình Phước): "
        "traceable to VietGAP and organic raw-material zones, from orchard to bag."
    )


def _child(parent, model, slug, **fields):
    """The Vietnamese child page with this slug, created and published if missing."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, is_sample=True, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


STANDARD_PAGES = [
    (
        ("gioi-thieu", "about-us"),
        ("Giới thiệu", "About us"),
        (
            "Cửa hàng chung của HTX Nông nghiệp Bù Gia Mập và HTX Nông nghiệp hữu cơ Đồng Nai (nội dung mẫu).",
            "The shared shop of the Bù Gia Mập and Đồng Nai organic agricultural cooperatives (sample content).",
        ),
    ),
    (
        ("giao-hang", "delivery-and-returns"),
        ("Giao hàng và đổi trả", "Delivery and returns"),
        (
            "Chúng tôi giao hàng trong lãnh thổ Việt Nam. Điều kiện đổi trả là nội dung mẫu.",
            "We deliver within Vietnam. The returns terms are sample content.",
        ),
    ),
    (
        ("chinh-sach-bao-mat", "privacy"),
        ("Chính sách bảo mật", "Privacy policy"),
        (
            "Chúng tôi chỉ lưu thông tin cần để giao hàng và không dùng công cụ theo dõi (nội dung mẫu).",
            "We keep only what delivery needs and use no tracking tools (sample content).",
        ),
    ),
    (
        ("dieu-khoan", "terms"),
        ("Điều khoản sử dụng", "Terms of use"),
        ("Điều khoản mua bán là nội dung mẫu.", "The terms of sale are sample content."),
    ),
]


def _standard_pages(home):
    pages = []
    for (slug, slug_en), title, intro in STANDARD_PAGES:
        t(slug, slug_en)
        pages.append(
            _child(home, StandardPage, slug, title=t(*title), intro=t(*intro), show_in_menus=slug == "gioi-thieu")
        )
    return pages


def _cooperatives(home, images):
    t("hop-tac-xa", "cooperatives")
    index = _child(
        home,
        CooperativeIndexPage,
        "hop-tac-xa",
        title=t("Hợp tác xã", "Cooperatives"),
        intro=t(
            "Hai hợp tác xã trồng và chế biến hạt điều ở Đồng Nai (trước đây là Bình Phước).",
            "Two cooperatives that grow and process cashews in Đồng Nai (formerly Bình Phước).",
        ),
        show_in_menus=True,
    )
    partners = {p.code: p for p in Partner.objects.filter(code__in=["bugiamap", "huucodongnai"])}
    # Shared pictures (home page, collections, news) stay the platform's; each cooperative's page uses its own.
    own = {code: cooperative_images(partner) for code, partner in partners.items()}
    bgm_images, dn_images = own["bugiamap"], own["huucodongnai"]
    t("htx-bu-gia-map", "bu-gia-map-cooperative")
    t("htx-huu-co-dong-nai", "dong-nai-organic-cooperative")
    bgm = _child(
        index,
        CooperativePage,
        "htx-bu-gia-map",
        title=t("HTX Nông nghiệp Bù Gia Mập", "Bù Gia Mập Agricultural Cooperative"),
        partner=partners.get("bugiamap"),
        intro=t(
            "Hợp tác xã của đồng bào S’tiêng và M’nông ở xã Bù Gia Mập, trồng điều theo hướng hữu cơ.",
            "A cooperative of S’tiêng and M’nông growers in Bù Gia Mập commune, farming cashews organically.",
        ),
        hero_image=bgm_images["orchard"],
        founded=date(2016, 8, 22),
        address=t("Thôn Bù Lư, xã Bù Gia Mập, tỉnh Đồng Nai", "Bù Lư hamlet, Bù Gia Mập commune, Đồng Nai province"),
        phone="0000 000 001",
        email="bugiamap@example.org",
        members=136,
        members_as_of=date(2024, 12, 31),
        area_ha=Decimal("543.8"),
        area_as_of=date(2024, 12, 31),
        body=[
            _heading("Câu chuyện của hợp tác xã", "The cooperative’s story"),
            _paragraph(
                "Hợp tác xã thành lập năm 2016 ở thôn Bù Lư. Phần lớn xã viên là người dân tộc thiểu số; "
                "nhiều hộ đã chuyển sang canh tác hữu cơ. Số liệu trên trang là số liệu mẫu để trình diễn.",
                "The cooperative was founded in 2016 in Bù Lư hamlet. Most members belong to ethnic minorities; "
                "many households have moved to organic farming. Figures on this page are samples for the demo.",
            ),
            _grower_story(bgm_images),
            _video(bgm_images),
        ],
        gallery=[
            {"type": "image", "value": {"image": bgm_images[k].pk, "caption": t(*cap), "alt": t(*alt)}}
            for k, cap, alt in (
                (
                    "orchard",
                    ("Vườn điều mùa ra hoa (ảnh mẫu)", "The orchard in bloom (sample image)"),
                    ("Vườn điều", "Cashew orchard"),
                ),
                (
                    "harvest",
                    ("Nhặt hạt điều chín (ảnh mẫu)", "Picking up ripe nuts (sample image)"),
                    ("Thu hoạch điều", "Cashew harvest"),
                ),
                (
                    "drying",
                    ("Phơi hạt dưới nắng (ảnh mẫu)", "Sun-drying the nuts (sample image)"),
                    ("Phơi hạt điều", "Drying cashews"),
                ),
            )
        ],
    )
    dn = _child(
        index,
        CooperativePage,
        "htx-huu-co-dong-nai",
        title=t("HTX Nông nghiệp hữu cơ Đồng Nai", "Đồng Nai Organic Agricultural Cooperative"),
        partner=partners.get("huucodongnai"),
        intro=t(
            "Hợp tác xã trồng và chế biến điều hữu cơ; số liệu về thành viên và diện tích đang được cập nhật.",
            "A cooperative growing and processing organic cashews; member and area figures are being updated.",
        ),
        hero_image=dn_images["kernels"],
        address=t("Tỉnh Đồng Nai", "Đồng Nai province"),
        email="huucodongnai@example.org",
        body=[
            _paragraph(
                "Từ vùng nguyên liệu hữu cơ đến xưởng rang: mọi bước đều được ghi lại để bạn tra cứu theo lô "
                "(nội dung mẫu).",
                "From the organic raw-material zone to the roasting shed, every step is recorded so you can look "
                "it up by lot (sample content).",
            ),
            _explainer(),
        ],
        gallery=[
            {
                "type": "image",
                "value": {
                    "image": dn_images["kernels"].pk,
                    "caption": t("Điều nhân sau khi bóc vỏ lụa (ảnh mẫu)", "Kernels after peeling (sample image)"),
                    "alt": "",
                },
            },
        ],
    )
    return index, [bgm, dn]


def _collections(home, images):
    t("qua-tet", "tet-gifts")
    t("dieu-nhan", "cashew-kernels")
    curated = _child(
        home,
        CollectionPage,
        "qua-tet",
        title=t("Quà Tết từ hạt điều", "Cashew gifts for Tết"),
        intro=t(
            "Những hộp quà và túi điều rang được chọn cho dịp Tết (bộ sưu tập mẫu).",
            "Gift boxes and roasted cashews picked for Tết (a sample collection).",
        ),
        image=images["fair"],
        mode=CollectionPage.CURATED,
        curated_products=[
            {"type": "product", "value": pk}
            for pk in _product_ids(
                "DEMO-HCDN-HQ-TET", "DEMO-BGM-HQ-2X500", "DEMO-BGM-RM-500", "DEMO-HCDN-MO-250", "DEMO-BGM-TO-250"
            )
        ],
        show_in_menus=True,
    )
    rule = _child(
        home,
        CollectionPage,
        "dieu-nhan",
        title=t("Điều nhân các cỡ", "Cashew kernels of every grade"),
        intro=t(
            "Tất cả điều nhân đang bán, tự cập nhật theo danh mục “Điều nhân”.",
            "Every cashew kernel on sale, kept up to date from the “Cashew kernels” category.",
        ),
        image=images["kernels"],
        mode=CollectionPage.RULE,
        rule_category=Category.objects.filter(slug="dieu-nhan").first(),
        rule_sort="price-asc",
    )
    return [curated, rule]


def _news(home, images):
    t("tin-tuc", "news")
    index = _child(
        home,
        NewsIndexPage,
        "tin-tuc",
        title=t("Tin tức", "News"),
        intro=t(
            "Tin xúc tiến thương mại và câu chuyện nhà vườn (bài mẫu).",
            "Trade promotion news and grower stories (sample articles).",
        ),
        show_in_menus=True,
    )
    today = timezone.localdate()
    articles = [
        (
            ("mua-thu-hoach-2026", "harvest-2026"),
            ("Mùa thu hoạch điều bắt đầu (bài mẫu)", "The cashew harvest begins (sample article)"),
            "news",
            today - timedelta(days=20),
            images["harvest"],
            (
                "Xã viên bắt đầu nhặt hạt điều chín rụng; hạt được phơi đến độ ẩm dưới 9% trước khi nhập kho.",
                "Members have started picking up fallen ripe nuts; they are sun-dried below 9% moisture before "
                "storage.",
            ),
        ),
        (
            ("chuyen-cua-chi-hlinh", "hlinhs-story"),
            ("Chuyện của chị H’Linh (câu chuyện mẫu)", "H’Linh’s story (a sample story)"),
            "story",
            today - timedelta(days=35),
            images["people"],
            (
                "Một nhân vật mẫu kể về việc chuyển sang trồng điều hữu cơ và bán hàng qua hợp tác xã.",
                "A sample character tells how she moved to organic cashews and selling through the cooperative.",
            ),
        ),
        (
            ("ocop-va-thuong-mai-dien-tu", "ocop-and-online-sales"),
            ("Sản phẩm OCOP lên sàn thương mại điện tử (bài mẫu)", "OCOP products go online (sample article)"),
            "trade",
            today - timedelta(days=50),
            images["kernels"],
            (
                "Kế hoạch của tỉnh khuyến khích hợp tác xã bán hàng trực tuyến và tham gia xúc tiến thương mại.",
                "The provincial plan encourages cooperatives to sell online and join trade promotion.",
            ),
        ),
    ]
    pages = [index]
    for (slug, slug_en), title, kind, day, image, (intro_vi, intro_en) in articles:
        t(slug, slug_en)
        pages.append(
            _child(
                index,
                ArticlePage,
                slug,
                title=t(*title),
                kind=kind,
                date=day,
                image=image,
                intro=t(intro_vi, intro_en),
                body=[
                    _paragraph(intro_vi, intro_en),
                    {
                        "type": "image",
                        "value": {
                            "image": image.pk,
                            "caption": t("Ảnh minh họa (ảnh mẫu)", "Illustration (sample image)"),
                            "alt": "",
                        },
                    },
                ],
            )
        )
    t("hoi-cho-ocop-dong-nai", "dong-nai-ocop-fair")
    pages.append(
        _child(
            index,
            TradeFairPage,
            "hoi-cho-ocop-dong-nai",
            title=t("Hội chợ sản phẩm OCOP Đồng Nai (sự kiện mẫu)", "Đồng Nai OCOP products fair (sample event)"),
            start_date=today + timedelta(days=30),
            end_date=today + timedelta(days=34),
            venue=t("Trung tâm hội chợ (địa điểm mẫu)", "Exhibition centre (sample venue)"),
            city=t("Đồng Nai", "Đồng Nai"),
            booth=t("Gian hàng A12 (mẫu)", "Booth A12 (sample)"),
            code="DEMO-OCOPDN",
            intro=t(
                "Hai hợp tác xã mang hạt điều rang muối, điều nhân và hộp quà Tết đến hội chợ (sự kiện mẫu).",
                "Both cooperatives bring roasted salted cashews, kernels and Tết gift boxes to the fair "
                "(a sample event).",
            ),
            image=images["fair"],
            featured_products=[
                {"type": "product", "value": pk}
                for pk in _product_ids("DEMO-BGM-RM-500", "DEMO-HCDN-W180-500", "DEMO-HCDN-HQ-TET")
            ],
            body=[_video(images)],
        )
    )
    return pages


def _settings(home, images):
    site = Site.objects.get(is_default_site=True)
    menu = MenuSettings.for_site(site)
    if not menu.items.exists():
        for order, slug in enumerate(["hop-tac-xa", "qua-tet", "tin-tuc", "gioi-thieu"]):
            page = Page.objects.descendant_of(home).filter(slug=slug, locale=home.locale).first()
            if page is not None:
                MenuItem.objects.create(setting=menu, sort_order=order, link_page=page)
    footer = FooterSettings.for_site(site)
    if not footer.about:
        footer.about = (
            "Cửa hàng trực tuyến của HTX Nông nghiệp Bù Gia Mập và HTX Nông nghiệp hữu cơ Đồng Nai, "
            "tỉnh Đồng Nai (trước đây là Bình Phước)."
        )
        footer.about_en = (
            "The online shop of the Bù Gia Mập and Đồng Nai organic agricultural cooperatives, Đồng Nai province "
            "(formerly Bình Phước)."
        )
        footer.email = "shop@example.org"
        footer.default_social_image = images["social"]
        footer.save()
    if not footer.links.exists():
        for order, slug in enumerate(["giao-hang", "chinh-sach-bao-mat", "dieu-khoan", "gioi-thieu"]):
            page = Page.objects.descendant_of(home).filter(slug=slug, locale=home.locale).first()
            if page is not None:
                FooterLink.objects.create(setting=footer, sort_order=order, link_page=page)


# TRANSLATION
# ------------------------------------------------------------------------------
def translate(page, locale):
    """Translate a Vietnamese page into `locale` through wagtail-localize's PO round trip.

    Pages already translated are left alone (an editor may have changed them).
    """
    from wagtail_localize.models import Translation, TranslationSource

    page = page.specific
    if page.get_translation_or_none(locale) is not None:
        return
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale, defaults={"enabled": True})
    po = translation.export_po()
    for entry in po:
        english = EN.get(entry.msgid)
        if english:
            entry.msgstr = english
    translation.import_po(po, tool_name="seed_demo")
    # Save a draft and publish it now from a fresh instance: wagtail-localize's own publish waits for
    # the transaction to commit and then saves a stale copy of the page (undoing its children's count).
    translation.save_target(publish=False)
    page.get_translation(locale).get_latest_revision().publish()
