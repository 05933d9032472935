"""Admin wiring: two-factor settings in the account page, the audit report in Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from catalog.scoping import is_platform_admin
from shop.staff import twofactor, views


@hooks.register("register_admin_urls")
def register_staff_urls():
    return [
        path("two-factor/", views.manage, name="staff_2fa_manage"),
        path("two-factor/confirm/", views.confirm, name="staff_2fa_confirm"),
        path("two-factor/codes/", views.codes, name="staff_2fa_codes"),
        path("two-factor/disable/", views.disable, name="staff_2fa_disable"),
        path("reports/audit/", views.AuditLogView.as_view(), name="staff_audit_log"),
        path(
            "reports/audit/results/",
            views.AuditLogView.as_view(results_only=True),
            name="staff_audit_log_results",
        ),
    ]


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    enabled = twofactor.has_two_factor(request.user)
    return {
        "url": reverse("staff_2fa_manage"),
        "label": _("Xác thực hai bước"),
        "help_text": _("Đang bật: đăng nhập cần mã từ ứng dụng trên điện thoại.")
        if enabled
        else _("Đang tắt. Bật để đăng nhập cần thêm mã từ ứng dụng trên điện thoại."),
    }


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return PlatformAdminMenuItem(
        _("Nhật ký thay đổi"), reverse("staff_audit_log"), name="audit-log", icon_name="history", order=1050
    )
