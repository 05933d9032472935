"""Sample page tree for the demo, in Vietnamese with an English translation. Idempotent."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, StandardPage

HOME = {
    "vi": {
        "title": "Hạt điều OCOP từ Bù Gia Mập và Đồng Nai",
        "intro": (
            "Hạt điều của hai hợp tác xã vùng đồng bào dân tộc thiểu số ở Đồng Nai (trước đây là Bình Phước): "
            "truy xuất được vùng nguyên liệu VietGAP và hữu cơ, từ vườn đến túi."
        ),
        "body": [
            {"type": "heading", "value": {"text": "Từ vườn điều đến tay bạn", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Mỗi túi hạt điều có một mã QR dẫn đến lô hàng: vùng trồng, ngày thu hoạch, "
                    "các bước chế biến và chứng nhận. Nội dung trên trang này là dữ liệu mẫu để trình diễn.</p>"
                ),
            },
        ],
    },
    "en": {
        "title": "OCOP cashews from Bù Gia Mập and Đồng Nai",
        "intro": (
            "Cashews from two cooperatives in the ethnic-minority districts of Đồng Nai (formerly Bình Phước): "
            "traceable to VietGAP and organic raw-material zones, from orchard to bag."
        ),
        "body": [
            {"type": "heading", "value": {"text": "From the orchard to you", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Every bag carries a QR code that leads to its lot: the zone, the harvest date, "
                    "each processing step and the certificates. Content on this page is sample data for the demo.</p>"
                ),
            },
        ],
    },
}

STANDARD_PAGES = [
    # (slug, vi title, en title, vi intro, en intro)
    (
        "gioi-thieu",
        "Giới thiệu",
        "About us",
        "Cửa hàng chung của HTX Nông nghiệp Bù Gia Mập và HTX Nông nghiệp hữu cơ Đồng Nai (nội dung mẫu).",
        "The shared shop of the Bù Gia Mập and Đồng Nai organic agricultural cooperatives (sample content).",
    ),
    (
        "giao-hang",
        "Giao hàng và đổi trả",
        "Delivery and returns",
        "Chúng tôi giao hàng trong lãnh thổ Việt Nam. Điều kiện đổi trả là nội dung mẫu.",
        "We deliver within Vietnam. The returns terms are sample content.",
    ),
]


@transaction.atomic
def seed_pages(log) -> HomePage:
    """Replace Wagtail's welcome page with our home page in both languages."""
    vi, _ = Locale.objects.get_or_create(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        home = HomePage(slug="trang-chu", locale=vi, **HOME["vi"])
        root.add_child(instance=home)
        home.save_revision().publish()
        log("  created the Vietnamese home page")
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

    _translate(home, en, HOME["en"])
    for slug, vi_title, en_title, vi_intro, en_intro in STANDARD_PAGES:
        page = StandardPage.objects.filter(locale=vi, slug=slug).first()
        if page is None:
            page = StandardPage(slug=slug, title=vi_title, intro=vi_intro, show_in_menus=True, locale=vi)
            home.add_child(instance=page)
            page.save_revision().publish()
        _translate(page, en, {"title": en_title, "intro": en_intro, "slug": slugify_en(en_title)})
    log(f"  home page and {len(STANDARD_PAGES)} information pages in Vietnamese and English")
    return home


def slugify_en(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)


def _translate(page, locale, fields):
    """Return the page's translation into `locale`, creating and publishing it if missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation
