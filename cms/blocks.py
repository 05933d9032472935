"""StreamField blocks shared by every page type.

Each block has an icon, a template in `templates/blocks/` and a preview value. Product blocks
choose real Oscar products through the admin chooser (`cms.choosers`); their values are loaded in
bulk, with price and images, so a page makes the same number of queries for 4 products as for 40.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.choosers import product_chooser_viewset

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]

BaseProductChooserBlock = product_chooser_viewset.get_block_class(
    name="BaseProductChooserBlock", module_path="cms.blocks"
)


class ProductChooserBlock(BaseProductChooserBlock):
    """A product, loaded with its card price, images and stock records in one batch per stream."""

    def bulk_to_python(self, values):
        from catalog.browse import products_for_cards

        found = products_for_cards([v for v in values if v])
        return [found.get(v) for v in values]

    def to_python(self, value):
        return self.bulk_to_python([value])[0] if value else None

    class Meta:
        icon = "tag"


def _sample_products(n=4):
    from catalog.browse import products_for_cards, sample_product_ids

    found = products_for_cards(sample_product_ids(n))
    return list(found.values())


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Tiêu đề"))
    level = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("Cấp tiêu đề"))

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Hạt điều Bù Gia Mập", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(required=False, label=_("Chú thích"))
    alt = blocks.CharBlock(
        required=False, label=_("Mô tả ảnh cho người khiếm thị"), help_text=_("Để trống nếu ảnh chỉ để trang trí.")
    )

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Ảnh có chú thích")

    def get_preview_value(self):
        return {"image": _first_image(), "caption": "Vườn điều (ảnh mẫu)", "alt": "Vườn điều"}


class GalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Tiêu đề"))
    images = blocks.ListBlock(ImageBlock(template=None), min_num=1, label=_("Ảnh"))

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"
        label = _("Bộ sưu tập ảnh")

    def get_preview_value(self):
        image = _first_image()
        return {"heading": "Mùa thu hoạch (ảnh mẫu)", "images": [{"image": image, "caption": "", "alt": ""}] * 3}


class GrowerStoryBlock(blocks.StructBlock):
    """A quote from a grower, published only with their consent."""

    quote = blocks.TextBlock(label=_("Lời kể"))
    name = blocks.CharBlock(label=_("Tên người kể"))
    role = blocks.CharBlock(required=False, label=_("Vai trò, thôn/xã"))
    photo = ImageChooserBlock(required=False, label=_("Ảnh chân dung"))
    consent = blocks.BooleanBlock(
        required=True,
        label=_("Người kể đã đồng ý công bố lời kể và ảnh"),
        help_text=_("Bắt buộc: chỉ đăng khi có sự đồng ý của người được trích dẫn."),
    )

    class Meta:
        icon = "openquote"
        template = "blocks/grower_story_block.html"
        label = _("Câu chuyện nhà vườn")
        preview_value = {
            "quote": "Vườn điều của gia đình tôi không dùng thuốc diệt cỏ từ năm 2018 (lời kể mẫu).",
            "name": "Chị H. (nhân vật mẫu)",
            "role": "Xã viên, thôn Bù Lư",
            "consent": True,
        }


class ProductCardBlock(blocks.StructBlock):
    product = ProductChooserBlock(label=_("Sản phẩm"))
    blurb = blocks.CharBlock(required=False, label=_("Lời giới thiệu ngắn"))

    class Meta:
        icon = "tag"
        template = "blocks/product_card_block.html"
        label = _("Thẻ sản phẩm")

    def get_preview_value(self):
        products = _sample_products(1)
        return {"product": products[0] if products else None, "blurb": "Bán chạy trong mùa Tết (mẫu)"}


class ProductGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Tiêu đề"))
    products = blocks.ListBlock(ProductChooserBlock(), min_num=1, label=_("Sản phẩm"))

    class Meta:
        icon = "table"
        template = "blocks/product_grid_block.html"
        label = _("Lưới sản phẩm")

    def get_preview_value(self):
        return {"heading": "Sản phẩm nổi bật", "products": _sample_products(4)}


CERTIFICATIONS = {
    "ocop": (
        _("OCOP (Mỗi xã một sản phẩm)"),
        _(
            "Chương trình quốc gia đánh giá và xếp hạng sản phẩm đặc trưng của địa phương từ 3 đến 5 sao. "
            "3 và 4 sao do Ủy ban nhân dân tỉnh công nhận, 5 sao do Trung ương công nhận; "
            "giấy chứng nhận có hiệu lực 36 tháng."
        ),
    ),
    "vietgap": (
        _("VietGAP"),
        _(
            "Thực hành nông nghiệp tốt của Việt Nam (TCVN 11892-1:2017 cho trồng trọt): vùng trồng được một tổ "
            "chức chứng nhận kiểm tra về an toàn thực phẩm, môi trường và truy xuất nguồn gốc; hiệu lực tối đa 2 năm."
        ),
    ),
    "organic": (
        _("Hữu cơ"),
        _(
            "Canh tác không dùng phân bón và thuốc bảo vệ thực vật tổng hợp, được chứng nhận theo TCVN 11041 "
            "(Việt Nam), EU 2018/848 hoặc USDA NOP; kiểm tra lại hằng năm."
        ),
    ),
}


class CertificationExplainerBlock(blocks.StructBlock):
    """What OCOP, VietGAP and organic mean, in the shop's words."""

    heading = blocks.CharBlock(required=False, default="", label=_("Tiêu đề"))
    certifications = blocks.MultipleChoiceBlock(
        choices=[(key, label) for key, (label, _text) in CERTIFICATIONS.items()],
        default=["ocop", "vietgap", "organic"],
        label=_("Chứng nhận cần giải thích"),
    )
    note = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES, label=_("Ghi chú thêm"))

    class Meta:
        icon = "doc-full"
        template = "blocks/certification_explainer_block.html"
        label = _("Giải thích chứng nhận")
        preview_value = {"heading": "Các chứng nhận nghĩa là gì?", "certifications": ["ocop", "vietgap", "organic"]}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["items"] = [CERTIFICATIONS[key] for key in value.get("certifications") or [] if key in CERTIFICATIONS]
        return context


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Nội dung"))
    link_text = blocks.CharBlock(label=_("Chữ trên nút"))
    link_page = blocks.PageChooserBlock(required=False, label=_("Trang đích"))
    link_url = blocks.CharBlock(required=False, label=_("Hoặc đường dẫn"), help_text=_("Dùng khi không chọn trang."))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("Lời kêu gọi")
        preview_value = {"text": "Xem tất cả sản phẩm", "link_text": "Mua ngay", "link_url": "/shop/catalogue/"}


class VideoBlock(blocks.StructBlock):
    """A video that loads nothing from a third party until the visitor chooses to watch it.

    With a local file it plays here (preload="none"); with an external address the poster links
    out to the video site, so no player, cookie or tracker is fetched on page load.
    """

    title = blocks.CharBlock(label=_("Tên video"))
    poster = ImageChooserBlock(label=_("Ảnh đại diện"))
    video_file = DocumentChooserBlock(required=False, label=_("Tệp video (MP4/WebM) trên trang"))
    url = blocks.URLBlock(required=False, label=_("Hoặc đường dẫn video bên ngoài (YouTube, Facebook…)"))
    caption = blocks.CharBlock(required=False, label=_("Chú thích"))
    transcript = blocks.TextBlock(required=False, label=_("Lời thoại / mô tả cho người khiếm thính"))

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")

    def get_preview_value(self):
        return {
            "title": "Một ngày ở vườn điều (video mẫu)",
            "poster": _first_image(),
            "url": "https://www.youtube.com/watch?v=example",
            "caption": "Video mẫu",
        }


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Câu hỏi"))
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Trả lời"))

    class Meta:
        icon = "help"


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Tiêu đề"))
    items = blocks.ListBlock(FaqItemBlock(), min_num=1, label=_("Câu hỏi"))

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        label = _("Hỏi đáp")
        preview_value = {
            "heading": "Câu hỏi thường gặp",
            "items": [
                {"question": "Hạt điều bảo quản được bao lâu?", "answer": "<p>Khoảng 6 tháng nếu để kín (mẫu).</p>"}
            ],
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        label=_("Đoạn văn"),
        template="blocks/paragraph_block.html",
        preview_value="<p>Hạt điều được phơi khô dưới nắng, độ ẩm dưới 9% (đoạn văn mẫu).</p>",
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    grower_story = GrowerStoryBlock()
    product_card = ProductCardBlock()
    product_grid = ProductGridBlock()
    certification_explainer = CertificationExplainerBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()
    faq = FaqBlock()


class ProductListBlock(blocks.StreamBlock):
    """A hand-picked, ordered list of products (curated collections, trade fair highlights)."""

    product = ProductChooserBlock(label=_("Sản phẩm"))

    class Meta:
        icon = "list-ul"


def _first_image():
    from wagtail.images import get_image_model

    return get_image_model().objects.order_by("pk").first()
