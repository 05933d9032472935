from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class StaffConfig(AppConfig):
    """Staff accounts and security: login limits, two-factor, the audit log, the user form."""

    name = "shop.staff"
    label = "staff"
    verbose_name = _("Tài khoản quản trị và bảo mật")

    def ready(self):
        from shop.staff import audit

        audit.register()


class StaffUsersConfig(WagtailUsersAppConfig):
    """wagtail.users with our UserViewSet: cooperative and role in the user form and list."""

    user_viewset = "shop.staff.viewsets.UserViewSet"
