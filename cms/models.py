"""Wagtail page types: what consumers read, edited by the platform and the cooperatives."""

from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BaseStreamBlock


def reserved_slug(slug: str) -> bool:
    """True when `/<slug>/` is answered by a fixed route (the shop, admin, ...) and not by Wagtail."""
    from wagtail.views import serve as wagtail_serve

    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return False
    return match.func is not wagtail_serve


class ShopPageForm(WagtailAdminPageForm):
    """Refuses top-level slugs that a fixed route (shop, admin, GS1 resolver...) would shadow."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        if slug and self.parent_page.depth == 2 and reserved_slug(slug):
            self.add_error(
                "slug",
                _("Đường dẫn “%(slug)s” đã dành cho cửa hàng; hãy chọn đường dẫn khác.") % {"slug": slug},
            )
        return cleaned_data


class BasePage(Page):
    """Common parts of our pages."""

    base_form_class = ShopPageForm

    class Meta:
        abstract = True


class HomePage(BasePage):
    intro = models.TextField(blank=True, verbose_name=_("Lời giới thiệu"))
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Trang chủ")


class StandardPage(BasePage):
    """About, delivery, returns, privacy, terms."""

    intro = models.TextField(blank=True, verbose_name=_("Tóm tắt"))
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Trang thông tin")
