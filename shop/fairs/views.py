"""Short links of trade fairs (public) and the fair report (Wagtail admin, Reports menu)."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from catalog import browse
from catalog.models import Cooperative
from catalog.scoping import cooperative_for, is_platform_admin
from shop.fairs import report
from shop.fairs.attribution import fair_link
from shop.fairs.links import short_link as short_link_url


# SHORT LINKS: /h/<code> and /h/<code>/<product id>
# ------------------------------------------------------------------------------
@require_safe
@never_cache
def short_link(request, code, product=None):
    """302 to the fair's page (or one of its products) in the visitor's language, carrying the fair's code.

    The arrival is counted, and the fair remembered, by shop.fairs.attribution on the page it lands on.
    """
    from cms.models import TradeFairPage

    with translation.override(translation.get_language_from_request(request)):
        fair = TradeFairPage.for_code(code)
        if fair is None:
            raise Http404(_("Không có hội chợ nào với mã “%(code)s”.") % {"code": code})
        target = None
        if product is not None:
            found = browse.browsable_products().filter(pk=product).first()
            # A product no longer sold: the fair's page, still counted for the fair.
            target = found.get_absolute_url() if found is not None else None
        target = target or fair.get_url(request)
    return HttpResponseRedirect(fair_link(target, fair.code))


# REPORT (Wagtail admin)
# ------------------------------------------------------------------------------
def fair_pages():
    """One page per fair (the Vietnamese one when translated), newest first; drafts included."""
    from cms.models import TradeFairPage

    default = Locale.get_default()
    chosen = {}
    for fair in TradeFairPage.objects.order_by("-start_date", "pk").select_related("locale"):
        current = chosen.get(fair.translation_key)
        if current is None or (fair.locale_id == default.pk and current.locale_id != default.pk):
            chosen[fair.translation_key] = fair
    return sorted(chosen.values(), key=lambda fair: (fair.start_date, fair.pk), reverse=True)


class ReportAccessMixin:
    """Platform admins and cooperative members only (catalog.scoping); anyone else is refused."""

    def dispatch(self, request, *args, **kwargs):
        if not report.may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FairReportIndexView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "fairs/report_index.html"
    page_title = gettext_lazy("Báo cáo hội chợ")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            rows=report.index_rows(fair_pages(), user),
            cooperative=cooperative_for(user),
            is_admin=is_platform_admin(user),
        )
        return context


class FairReportMixin(ReportAccessMixin):
    """The fair named in the URL (any of its translations) and the viewer's report of it."""

    @cached_property
    def fair(self):
        from cms.models import TradeFairPage

        return get_object_or_404(TradeFairPage, pk=self.kwargs["pk"])

    def get_report(self):
        chosen = None
        slug = self.request.GET.get("hop_tac_xa")
        if slug and is_platform_admin(self.request.user):
            chosen = Cooperative.objects.filter(slug=slug).first()
        return report.FairReport(self.fair, self.request.user, chosen)


class FairReportView(FairReportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "fairs/report_detail.html"
    header_icon = "date"

    def get_page_title(self):
        return _("Báo cáo hội chợ")

    def get_page_subtitle(self):
        return self.fair.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("fairs_report:index"), "label": _("Báo cáo hội chợ")},
            {"url": "", "label": self.fair.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = self.get_report()
        daily = figures.daily()
        query = f"?hop_tac_xa={figures.cooperative.slug}" if figures.cooperative and figures.is_admin else ""
        context.update(
            fair=self.fair,
            report=figures,
            totals=figures.totals(),
            daily=daily,
            revenue_points=figures.chart_points("revenue"),
            click_points=figures.chart_points("clicks"),
            label_every=max(1, len(daily) // 12),
            top_products=figures.top_products(),
            by_cooperative=figures.by_cooperative(),
            cooperatives=Cooperative.objects.order_by("slug") if figures.is_admin else [],
            short_link=short_link_url(self.fair.code) if self.fair.code else "",
            csv_daily=reverse("fairs_report:csv", args=[self.fair.pk]) + query,
            csv_products=reverse("fairs_report:csv", args=[self.fair.pk])
            + (query + "&" if query else "?")
            + "bang=san-pham",
        )
        return context


def text_cell(value) -> str:
    """Text for a spreadsheet cell; a leading = + - @ is quoted so it is never run as a formula."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class FairReportCsvView(FairReportMixin, View):
    """The report's figures as CSV: per day (default) or per product (`?bang=san-pham`)."""

    DAILY_COLUMNS = ["date", "embed_views", "embed_clicks", "link_clicks", "orders", "revenue_vnd"]
    PRODUCT_COLUMNS = ["product_id", "product", "cooperative", "quantity", "revenue_vnd"]

    def get(self, request, *args, **kwargs):
        figures = self.get_report()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if request.GET.get("bang") == "san-pham":
            writer.writerow(self.PRODUCT_COLUMNS)
            for row in figures.top_products(limit=None):
                writer.writerow(
                    [
                        row["product_id"],
                        text_cell(row["title"]),
                        text_cell(row["partner__name"]),
                        row["quantity"],
                        row["revenue"],
                    ]
                )
            name = "san-pham"
        else:
            writer.writerow(self.DAILY_COLUMNS)
            for row in figures.daily():
                writer.writerow(
                    [
                        row["day"].isoformat(),
                        row["embed_view"],
                        row["embed_click"],
                        row["link_click"],
                        row["orders"],
                        row["revenue"],
                    ]
                )
            totals = figures.totals()
            writer.writerow(
                [
                    "total",
                    totals["embed_view"],
                    totals["embed_click"],
                    totals["link_click"],
                    totals["orders"],
                    totals["revenue"],
                ]
            )
            name = "theo-ngay"
        scope_name = figures.cooperative.slug if figures.cooperative else "tat-ca"
        # A byte order mark so spreadsheet programs read the Vietnamese as UTF-8 (as the product feed does).
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"hoi-cho-{self.fair.code or self.fair.pk}-{scope_name}-{name}.csv".lower()
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
