"""Admin wiring of the fair report: its URLs and its place in the Reports menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from shop.fairs import admin_urls, report


class FairReportMenuItem(MenuItem):
    def is_shown(self, request):
        return report.may_view(request.user)


@hooks.register("register_admin_urls")
def register_fair_report_urls():
    return [path("hoi-cho/", include(admin_urls, namespace="fairs_report"))]


@hooks.register("register_reports_menu_item")
def register_fair_report_menu_item():
    return FairReportMenuItem(_("Hội chợ"), reverse("fairs_report:index"), icon_name="date", order=50)
