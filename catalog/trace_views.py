"""Public traceability pages: lots, cooperatives, zones and certificates, in Vietnamese and English.

Data comes from catalog.trace (fixed query counts); these views only pick the objects and check
that the visitor may see them (non-public lots and products are for staff only).
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalog import gs1, trace
from catalog.models import Cooperative, Lot, RawMaterialZone, TraceEvent
from catalog.resolver import lot_link, product_link

Product = get_model("catalogue", "Product")


def map_context() -> dict:
    """Tile server for zone maps; empty means the map draws the zones on a blank background."""
    return {"map_tile_url": settings.TRACE_MAP_TILE_URL, "map_attribution": settings.TRACE_MAP_TILE_ATTRIBUTION}


def visible_product(request, pk, queryset=None):
    product = get_object_or_404(queryset if queryset is not None else Product.objects.all(), pk=pk)
    if not (product.is_public or request.user.is_staff):
        raise Http404
    return product


class LookupForm(forms.Form):
    """The numbers under the barcode, for a shopper without a QR scanner."""

    gtin = forms.CharField(label=_("GTIN (mã số dưới mã vạch)"), max_length=14)
    lo = forms.CharField(label=_("Mã lô (sau chữ “Lô” hoặc (10))"), max_length=20, required=False)

    def clean_gtin(self):
        try:
            return gs1.normalise_gtin(self.cleaned_data["gtin"])
        except gs1.InvalidIdentifier as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_lo(self):
        code = self.cleaned_data["lo"].strip()
        if code:
            gs1.validate_lot_code(code)
        return code


class TraceIndexView(TemplateView):
    template_name = "catalog/trace_index.html"

    def get(self, request, *args, **kwargs):
        self.form = LookupForm(request.GET or None)
        if self.form.is_valid():
            data = self.form.cleaned_data
            return HttpResponseRedirect(gs1.digital_link_path(data["gtin"], data["lo"] or None))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["cooperatives"] = Cooperative.objects.select_related("logo").order_by("name")
        return context


class VocabularyView(TemplateView):
    """Our EPCIS business steps (CBV has no harvesting, drying, shelling or roasting)."""

    template_name = "catalog/vocabulary.html"

    def get_context_data(self, **kwargs):
        from catalog.epcis import CBV_BIZ_STEP

        context = super().get_context_data(**kwargs)
        context["steps"] = [(value, label, CBV_BIZ_STEP.get(value)) for value, label in TraceEvent.Step.choices]
        return context


class CooperativeView(TemplateView):
    template_name = "catalog/cooperative_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cooperative = get_object_or_404(
            Cooperative.objects.select_related("partner", "logo").prefetch_related("figures"), slug=kwargs["slug"]
        )
        today = timezone.localdate()
        zones = list(
            cooperative.zones.prefetch_related(Prefetch("certifications", queryset=trace.certificate_queryset()))
        )
        certificates = trace.certificate_queryset().filter(cooperative=cooperative)
        products = Product.objects.browsable().filter(cooperative=cooperative).order_by("title")
        context.update(
            cooperative=cooperative,
            figures=list(cooperative.figures.all()),
            zones=zones,
            certificates=trace.statuses(certificates, today),
            products=products,
            **map_context(),
        )
        return context


class ZoneView(TemplateView):
    template_name = "catalog/zone_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        zone = get_object_or_404(RawMaterialZone.objects.select_related("cooperative"), pk=kwargs["pk"])
        today = timezone.localdate()
        certificates = trace.certificate_queryset().filter(zone=zone)
        context.update(
            zone=zone,
            zones=[zone],
            certificates=trace.statuses(certificates, today),
            products=Product.objects.browsable().filter(origin_zones=zone).order_by("title"),
            lots=Lot.objects.public().filter(zones=zone).select_related("product").order_by("-packing_date")[:20],
            **map_context(),
        )
        return context


class CertificateView(TemplateView):
    template_name = "catalog/certificate_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = get_object_or_404(trace.certificate_queryset(), pk=kwargs["pk"])
        if certificate.product_id and not (certificate.product.is_public or self.request.user.is_staff):
            raise Http404
        context.update(
            certificate=certificate,
            item=trace.CertificateAt(certificate, certificate.status(), timezone.localdate()),
            products=Product.objects.browsable().filter(certifications=certificate).order_by("title"),
        )
        return context


class ProductTraceView(TemplateView):
    """A product's lots, certificates and zones: where `gs1:traceability` for a bare GTIN leads."""

    template_name = "catalog/product_trace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = visible_product(self.request, kwargs["pk"], Product.objects.select_related("cooperative"))
        context.update(
            product=product,
            trace=trace.product_trace(product, with_lots=True),
            qr_link=product_link(self.request, product),
            **map_context(),
        )
        return context


class ProductCertificatesView(TemplateView):
    """All certificates behind a product: `gs1:certificationInfo` for a bare GTIN."""

    template_name = "catalog/certificates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = visible_product(self.request, kwargs["pk"], Product.objects.select_related("cooperative"))
        product_trace = trace.product_trace(product)
        today = product_trace.today
        zone_certificates = trace.statuses(
            trace.certificate_queryset().filter(zone__in=[z.pk for z in product_trace.zones]), today
        )
        context.update(
            product=product,
            lot=None,
            ocop=product_trace.ocop,
            certificates=product_trace.certificates + zone_certificates,
        )
        return context


class LotMixin:
    def get_lot(self):
        return get_object_or_404(trace.lot_queryset(self.request.user), pk=self.kwargs["pk"])


class LotView(LotMixin, TemplateView):
    template_name = "catalog/lot_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lot = get_object_or_404(
            trace.lot_queryset(self.request.user).prefetch_related("product__images"), pk=self.kwargs["pk"]
        )
        context.update(lot=lot, trace=trace.lot_trace(lot), qr_link=lot_link(self.request, lot), **map_context())
        return context


class LotCertificatesView(LotMixin, TemplateView):
    """Certificates behind a lot today: `gs1:certificationInfo` for GTIN + lot."""

    template_name = "catalog/certificates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lot = self.get_lot()
        lot_trace = trace.lot_trace(lot)
        context.update(
            product=lot.product,
            lot=lot,
            ocop=lot_trace.ocop,
            certificates=[c for c in lot_trace.certificates_today if not c.certificate.is_ocop],
        )
        return context


@dataclass(frozen=True)
class LabelLayout:
    """A sheet of A4 labels as sold (sizes and margins in millimetres, as the maker prints them)."""

    columns: int
    rows: int
    width: float
    height: float
    top: float
    side: float
    column_gap: float
    label: str

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


# The common A4 sheets of Avery/Tanex/Decal Tomy; the key is the CSS modifier (labels.css).
LABEL_LAYOUTS = {
    "3x7": LabelLayout(3, 7, 63.5, 38.1, 15.15, 7.25, 2.54, _("21 tem: 3 × 7, mỗi tem 63,5 × 38,1 mm (kiểu L7160)")),
    "3x8": LabelLayout(3, 8, 63.5, 33.9, 12.9, 7.25, 2.54, _("24 tem: 3 × 8, mỗi tem 63,5 × 33,9 mm (kiểu L7159)")),
    "2x7": LabelLayout(2, 7, 99.1, 38.1, 15.15, 4.65, 2.5, _("14 tem: 2 × 7, mỗi tem 99,1 × 38,1 mm (kiểu L7163)")),
}
DEFAULT_LAYOUT = "3x7"
MAX_LABELS = 480  # 20 sheets: a long print run goes in several jobs, so a jam wastes little


class LabelSheetForm(forms.Form):
    """Which sheet, how many labels, and where to start on a sheet already partly used."""

    kho = forms.ChoiceField(
        label=_("Khổ giấy tem"), choices=[(key, layout.label) for key, layout in LABEL_LAYOUTS.items()]
    )
    so = forms.IntegerField(
        label=_("Số tem cần in"),
        min_value=1,
        max_value=MAX_LABELS,
        error_messages={
            "min_value": _("In ít nhất 1 tem."),
            "max_value": _("Mỗi lần in tối đa %(limit_value)s tem; hãy in thành nhiều lần."),
            "invalid": _("Nhập số tem bằng số, ví dụ 24."),
        },
    )
    bat_dau = forms.IntegerField(
        label=_("Bắt đầu từ tem số (trên tờ đầu)"),
        min_value=1,
        help_text=_("Dùng tiếp tờ tem đã bóc một phần: tem 1 ở góc trên bên trái, đếm theo hàng."),
        error_messages={"min_value": _("Tem đầu tiên là tem số 1."), "invalid": _("Nhập vị trí bằng số, ví dụ 1.")},
    )

    def clean(self):
        data = super().clean()
        layout = LABEL_LAYOUTS.get(data.get("kho"))
        start = data.get("bat_dau")
        if layout and start and start > layout.per_sheet:
            self.add_error(
                "bat_dau", _("Tờ này chỉ có %(n)s tem: chọn vị trí từ 1 đến %(n)s.") % {"n": layout.per_sheet}
            )
        return data


def label_sheets(count: int, start: int, per_sheet: int) -> list[list[int | None]]:
    """Sheets of label positions: the label's number (1, 2, ...) where one is printed, None where the
    sheet was already used."""
    positions = [None] * (start - 1) + list(range(1, count + 1))
    return [positions[i : i + per_sheet] for i in range(0, len(positions), per_sheet)]


class LotLabelsView(LotMixin, TemplateView):
    """A printable A4 sheet (or sheets) of labels for a lot: the QR code with its GS1 Digital Link,
    the product, GTIN, lot code and best-before date.

    Open to everyone for a public lot, and to the lot's own cooperative (and platform staff) for a lot
    that is not public yet or on hold (Lot.objects.visible_to); anyone else gets a 404.
    """

    template_name = "catalog/lot_labels.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lot = self.get_lot()
        asked = self.request.GET.get("kho")
        layout_key = asked if asked in LABEL_LAYOUTS else DEFAULT_LAYOUT
        # One full sheet of the chosen kind unless told otherwise.
        defaults = {"kho": layout_key, "so": LABEL_LAYOUTS[layout_key].per_sheet, "bat_dau": 1}
        form = LabelSheetForm({**defaults, **self.request.GET.dict()})
        form.is_valid()
        # A bad value gets its message beside the field; the sheet shows the defaults for it meanwhile.
        values = {**defaults, **form.cleaned_data}
        layout = LABEL_LAYOUTS[layout_key]
        context.update(
            lot=lot,
            qr_link=lot_link(self.request, lot),
            form=form,
            layout=layout,
            layout_key=layout_key,
            sheets=label_sheets(values["so"], values["bat_dau"], layout.per_sheet),
            label_count=values["so"],
            admin_edit_url=self.admin_edit_url(lot),
        )
        return context

    def admin_edit_url(self, lot):
        from catalog.scoping import can_access

        user = self.request.user
        if user.is_authenticated and user.has_perm("catalogue.change_lot") and can_access(user, lot):
            return reverse("wagtailsnippets_catalogue_lot:edit", args=[lot.pk])
        return None
