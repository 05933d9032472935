from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail pages, blocks and settings: what consumers read."""

    name = "cms"
    verbose_name = _("Nội dung")

    def ready(self):
        from cms import signals

        signals.connect()
