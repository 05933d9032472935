"""The product domain: Oscar's catalogue, extended for two languages and (later) traceability.

New models go above the trailing import so Oscar's loader picks ours first.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    # Vietnamese is the source (Oscar's own title/description); English sits beside it.
    title_en = models.CharField(_("Tên sản phẩm (tiếng Anh)"), max_length=255, blank=True)
    description_en = models.TextField(_("Mô tả (tiếng Anh)"), blank=True)

    def _in_english(self) -> bool:
        return (get_language() or "vi").startswith("en")

    def get_title(self):
        if self._in_english() and self.title_en:
            return self.title_en
        if not self.title and self.is_child and self.parent_id:
            return self.parent.get_title()
        return super().get_title()

    get_title.short_description = _("Tên sản phẩm")

    def get_description(self) -> str:
        if self._in_english() and self.description_en:
            return self.description_en
        if not self.description and self.is_child and self.parent_id:
            return self.parent.get_description()
        return self.description


from oscar.apps.catalogue.models import *  # noqa: E402,F403
