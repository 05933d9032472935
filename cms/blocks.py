"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


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


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Nội dung"))
    link_text = blocks.CharBlock(label=_("Chữ trên nút"))
    link_url = blocks.CharBlock(label=_("Đường dẫn"))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        preview_value = {"text": "Xem tất cả sản phẩm", "link_text": "Mua ngay", "link_url": "/shop/catalogue/"}


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow", features=["bold", "italic", "link", "ol", "ul"], label=_("Đoạn văn")
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
