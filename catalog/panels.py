"""The staff home (Wagtail admin dashboard at /admin/), per cooperative: the traceability panels.

A member sees their own cooperative; the platform admin sees every cooperative side by side, or
the one chosen with `?htx=<slug>`. Each panel asks `catalog.scoping` for its rows (so a member
never gets another cooperative's, whatever the query string says) and runs a fixed number of
queries, whatever the number of rows behind it. The commerce panels (orders to fulfil, low
stock, this month's sales) are in shop/dashboard/panels.py and use the same base.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from catalog.models import EXPIRY_WARNING_DAYS, CertificateStatus, Certification, Cooperative, Lot
from catalog.scoping import cooperative_for, is_platform_admin, scope

CHOICE_PARAMETER = "htx"


def workspace_cooperatives(request) -> list:
    """The cooperatives the staff home shows to this request's user (computed once per request).

    A member: their own. The platform admin: all, or the one named by `?htx=<slug>` (an unknown
    slug shows all). Anyone else: none.
    """
    if not hasattr(request, "_workspace_cooperatives"):
        user = request.user
        if is_platform_admin(user):
            cooperatives = list(Cooperative.objects.order_by("name"))
            chosen = [c for c in cooperatives if c.slug == request.GET.get(CHOICE_PARAMETER)]
            request._workspace_cooperatives = chosen or cooperatives
        else:
            cooperative = cooperative_for(user)
            request._workspace_cooperatives = [cooperative] if cooperative else []
    return request._workspace_cooperatives


class CooperativePanel(Component):
    """A staff-home panel with one section per cooperative in view (side by side when several).

    Subclasses set `name`, `heading`, `template_name` and implement `sections()`, returning one
    dict per cooperative with at least "cooperative"; `sections()` is where the queries are.
    """

    name = ""
    heading = ""
    order = 50

    class Media:
        css = {"all": ["catalog/css/staff_home.css"]}

    def __init__(self, request, cooperatives):
        self.request = request
        self.user = request.user
        self.cooperatives = list(cooperatives)

    def sections(self) -> list[dict]:
        raise NotImplementedError

    def get_heading(self):
        return self.heading

    def get_context_data(self, parent_context=None):
        return {
            "panel_id": f"htx-{self.name}",
            "heading": self.get_heading(),
            "sections": self.sections(),
            "side_by_side": len(self.cooperatives) > 1,
        }

    def by_cooperative(self, rows, key):
        """[{"cooperative": c, "rows": [...]}] for each cooperative in view, rows grouped by `key(row)`."""
        grouped = {cooperative.pk: [] for cooperative in self.cooperatives}
        for row in rows:
            grouped.setdefault(key(row), []).append(row)
        return [{"cooperative": c, "rows": grouped[c.pk]} for c in self.cooperatives]


class CooperativeChoicePanel(Component):
    """The platform admin's choice of cooperative for the panels below (a plain GET form)."""

    template_name = "catalog/staff_home/cooperative_choice.html"
    order = 5

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        chosen = self.request.GET.get(CHOICE_PARAMETER, "")
        return {
            "parameter": CHOICE_PARAMETER,
            "cooperatives": list(Cooperative.objects.order_by("name")),
            "chosen": chosen,
        }


class ExpiringCertificatesPanel(CooperativePanel):
    """Certificates whose status is "expiring" (within EXPIRY_WARNING_DAYS of their last valid day).

    Certification.status() decides; the query only narrows to certificates in force that end
    within the window (CertificationQuerySet.in_force). One query.
    """

    name = "expiring-certificates"
    template_name = "catalog/staff_home/expiring_certificates.html"
    order = 40

    def get_heading(self):
        return _("Chứng nhận sắp hết hạn (trong %(days)s ngày)") % {"days": EXPIRY_WARNING_DAYS}

    def sections(self):
        today = timezone.localdate()
        candidates = (
            scope(Certification.objects.in_force(today), self.user)
            .filter(cooperative__in=self.cooperatives, expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS))
            .select_related("cooperative", "zone", "product", "ocoprating")
            .order_by("expires_on", "pk")
        )
        rows = []
        for certificate in candidates:
            if certificate.status(today) != CertificateStatus.EXPIRING:
                continue
            model = "ocoprating" if certificate.is_ocop else "certification"
            rows.append(
                {
                    "certificate": certificate,
                    "holder": certificate.holder,
                    "days_left": (certificate.expires_on - today).days,
                    "edit_url": reverse(f"wagtailsnippets_catalogue_{model}:edit", args=[certificate.pk]),
                }
            )
        return self.by_cooperative(rows, lambda row: row["certificate"].cooperative_id)


class LotsOnHoldPanel(CooperativePanel):
    """Lots whose status is "on hold" (not on sale until released), longest held first. One query."""

    name = "lots-on-hold"
    heading = _("Lô hàng đang tạm giữ")
    template_name = "catalog/staff_home/lots_on_hold.html"
    order = 50

    def sections(self):
        lots = (
            scope(Lot.objects.filter(status=Lot.Status.ON_HOLD), self.user)
            .filter(product__cooperative__in=self.cooperatives)
            .select_related("product", "product__parent")
            .order_by("updated_at", "pk")
        )
        rows = [{"lot": lot, "edit_url": reverse("wagtailsnippets_catalogue_lot:edit", args=[lot.pk])} for lot in lots]
        return self.by_cooperative(rows, lambda row: row["lot"].product.cooperative_id)
