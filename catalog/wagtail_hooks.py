"""Staff editing of traceability in the Wagtail admin, under one "Truy xuất nguồn gốc" menu.

Cooperatives (with their figures), zones, certificates, OCOP ratings and lots (with their trace
events inline) are snippets with search and filters; photos and documents use Wagtail's choosers.
Products (GTIN, cooperative, zones, certificates, variants) have one page, in Oscar's dashboard;
their edit links here lead there. The staff home gets each cooperative's certificate and lot
panels (catalog/panels.py).
Every viewset here is scoped by `catalog.scoping`: a cooperative's staff list, choose, open,
edit, copy and delete only their own cooperative's objects (anything else is a 404), and the
forms offer only their own cooperative, zones, certificates, products and lots.
"""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, register_admin_url_finder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalog.models import Certification, Cooperative, Lot, OcopRating, RawMaterialZone
from catalog.panels import CooperativeChoicePanel, ExpiringCertificatesPanel, LotsOnHoldPanel, workspace_cooperatives
from catalog.scoping import (
    CooperativePermissionPolicy,
    ScopedChooserMixin,
    can_access,
    cooperative_for,
    is_platform_admin,
    scope,
    scoped_view_class,
)
from cms.choosers import lot_product_chooser_viewset

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

# Registered before the viewsets so bulk actions and instance checks use the scoped policy too.
for _model in (Cooperative, RawMaterialZone, Certification, OcopRating, Lot, Product):
    register_permission_policy(_model, CooperativePermissionPolicy(_model), exact_class=True)


# SCOPING: every view and form of the viewsets below goes through catalog.scoping
# ------------------------------------------------------------------------------
def limit_choices(form, user):
    """Narrow every choice of a scoped model (cooperative, zone, certificate, product, lot) to `user`'s.

    Images and documents (logo, event photo and document) are narrowed to the cooperative's collection,
    keeping the one already chosen (the platform admin may have picked a shared picture).
    """
    admin = is_platform_admin(user)
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if queryset.model in (get_image_model(), get_document_model()):
            if not admin:
                current = getattr(form.instance, f"{name}_id", None)
                field.queryset = scope(queryset, user) | queryset.filter(pk=current or 0)
        elif hasattr(queryset, "for_cooperative"):
            field.queryset = scope(queryset, user)
            if name == "cooperative" and not admin:
                # A member's objects always belong to their own cooperative: the only choice, preselected.
                field.required = True
                field.empty_label = None
                field.initial = cooperative_for(user)
        elif queryset.model is Partner and not admin:
            # Which Oscar partner a cooperative is stays the platform admin's decision.
            field.disabled = True


class CooperativeScopedForm(WagtailAdminModelForm):
    """The admin form of every scoped viewset: choices (inline forms' too) limited to the user's cooperative."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        limit_choices(self, user)
        for formset in self.formsets.values():
            # Every child form the formset builds (bound, extra and the "add" template) is limited.
            formset.form = scoped_child_form(formset.form, user)
            for child in formset.__dict__.get("forms", []):
                limit_choices(child, user)


def scoped_child_form(form_class, user):
    """`form_class` (an inline panel's child form) with its choices limited to `user`'s cooperative."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        limit_choices(self, user)

    return type(form_class.__name__, (form_class,), {"__init__": __init__, "__module__": form_class.__module__})


class ScopedObjectMixin:
    """An object view (edit, delete, copy, history, usage, inspect) answers 404 for an object not in scope."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        # A create view's "object" is None: nothing to check yet; the form limits the choices.
        if obj is not None and not can_access(self.request.user, obj):
            raise Http404
        return obj


class ScopedIndexMixin:
    """A listing shows only the objects in the user's scope, and its filters offer only their choices."""

    def get_base_queryset(self):
        return scope(super().get_base_queryset(), self.request.user)

    @cached_property
    def filters(self):
        filterset = super().filters
        if filterset is not None:
            for field in filterset.form.fields.values():
                queryset = getattr(field, "queryset", None)
                if queryset is not None and hasattr(queryset, "for_cooperative"):
                    field.queryset = scope(queryset, self.request.user)
        return filterset


class ScopedChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view_class(view_class, ScopedChooserMixin), **kwargs)


class ScopedViewSetMixin:
    """Wraps every view of a model viewset with the scoping mixins and uses the scoped form."""

    chooser_viewset_class = ScopedChooserViewSet

    def construct_view(self, view_class, **kwargs):
        mixin = ScopedIndexMixin if issubclass(view_class, IndexView) else ScopedObjectMixin
        return super().construct_view(scoped_view_class(view_class, mixin), **kwargs)

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=CooperativeScopedForm).bind_to_model(self.model)


def status_column():
    """Today's derived status of a certificate (never stored)."""
    return Column("status", label=_("Tình trạng hôm nay"), accessor=lambda cert: cert.current_status.label)


def suspension_panel():
    return MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("suspended_from"), FieldPanel("suspended_until")]),
            FieldPanel("withdrawn_on"),
            FieldRowPanel([FieldPanel("status_note"), FieldPanel("status_note_en")]),
        ],
        heading=_("Đình chỉ hoặc thu hồi"),
        classname="collapsed",
    )


class CooperativeViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Cooperative
    icon = "group"
    menu_label = _("Hợp tác xã")
    list_display = ["name", "partner", "founded_on", UpdatedAtColumn()]
    search_fields = ["name", "name_en", "registration_number"]
    search_backend_name = None
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("partner"),
                FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
                FieldRowPanel([FieldPanel("slug"), FieldPanel("registration_number"), FieldPanel("founded_on")]),
            ],
            heading=_("Định danh"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("address_units"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")]),
            ],
            heading=_("Địa chỉ và liên hệ"),
        ),
        FieldRowPanel([FieldPanel("description"), FieldPanel("description_en")]),
        FieldPanel("logo"),
        InlinePanel("figures", heading=_("Số liệu (mỗi số liệu kèm ngày và nguồn)"), label=_("Số liệu")),
    ]


class ZoneViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = RawMaterialZone
    icon = "site"
    menu_label = _("Vùng nguyên liệu")
    list_display = ["code", "name", "cooperative", "farming_status", "area_ha", "households"]
    list_filter = ["cooperative", "farming_status", "province"]
    search_fields = ["code", "name", "name_en", "commune", "province"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("cooperative"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("commune"), FieldPanel("province"), FieldPanel("address_units")]),
        FieldRowPanel([FieldPanel("area_ha"), FieldPanel("households"), FieldPanel("farming_status")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Vị trí gần đúng")),
        FieldRowPanel([FieldPanel("description"), FieldPanel("description_en")]),
    ]


class CertificationViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Certification
    icon = "success"
    menu_label = _("Chứng nhận")
    list_display = ["number", "kind", "cooperative", "zone", "product", "expires_on", status_column()]
    list_filter = ["kind", "cooperative", "expires_on"]
    search_fields = ["number", "certifying_body", "standard"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("standard")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("certifying_body")]),
        MultiFieldPanel(
            [FieldPanel("cooperative"), FieldRowPanel([FieldPanel("zone"), FieldPanel("product")])],
            heading=_("Cấp cho (hợp tác xã, hoặc một vùng, hoặc một sản phẩm của hợp tác xã)"),
        ),
        FieldRowPanel([FieldPanel("scope"), FieldPanel("scope_en")]),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("valid_from"), FieldPanel("expires_on")]),
        suspension_panel(),
        FieldPanel("document"),
    ]

    def get_queryset(self, request):
        # OCOP certificates are edited with their stars under "Xếp hạng OCOP".
        return Certification.objects.exclude(kind=Certification.Kind.OCOP).select_related(
            "cooperative", "zone", "product"
        )


class OcopRatingViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = OcopRating
    icon = "pick"
    menu_label = _("Xếp hạng OCOP")
    list_display = ["number", "product", "stars", "issued_on", "expires_on", status_column()]
    list_filter = ["stars", "cooperative", "expires_on"]
    search_fields = ["number", "product__title"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("product"), FieldPanel("stars")]),
        FieldRowPanel(
            [
                FieldPanel("number", heading=_("Số quyết định")),
                FieldPanel("issued_on", heading=_("Ngày quyết định")),
                FieldPanel("certifying_body", heading=_("Cơ quan ra quyết định")),
            ]
        ),
        FieldRowPanel(
            [
                FieldPanel("valid_from"),
                FieldPanel("expires_on", help_text=_("Để trống: tự tính 36 tháng kể từ ngày quyết định.")),
            ]
        ),
        suspension_panel(),
        FieldPanel("document"),
    ]

    def get_queryset(self, request):
        return OcopRating.objects.select_related("product")


def label_sheet_url(lot):
    return reverse("trace:lot-labels", kwargs={"pk": lot.pk})


# The label sheet opens in a new tab, so the lot being edited stays open.
NEW_TAB = {"target": "_blank", "rel": "noopener"}


class LotIndexView(SnippetIndexView):
    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("In nhãn QR"),
                url=label_sheet_url(instance),
                icon_name="tag",
                # Every row has one: the name says which lot (and that a tab opens).
                attrs={**NEW_TAB, "aria-label": _("In nhãn QR lô %(code)s (mở thẻ mới)") % {"code": instance.code}},
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


class LotEditView(SnippetEditView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("In nhãn QR"), url=label_sheet_url(self.object), icon_name="tag", attrs=NEW_TAB),
        ]


class LotViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Lot
    index_view_class = LotIndexView
    edit_view_class = LotEditView
    icon = "clipboard-list"
    menu_label = _("Lô hàng")
    list_display = ["code", "product", "packing_date", "best_before", "status", "is_public"]
    list_filter = ["status", "is_public", "product__cooperative", "packing_date"]
    search_fields = ["code", "product__title", "product__upc"]
    search_backend_name = None
    panels = [
        FieldRowPanel(
            [
                FieldPanel(
                    "product",
                    widget=lot_product_chooser_viewset.widget_class,
                    help_text=_(
                        "Sản phẩm có nhiều quy cách: chọn biến thể đã đóng gói (250 g, 500 g…), vì mã QR trên "
                        "tem mang GTIN của biến thể."
                    ),
                ),
                FieldPanel("code"),
            ]
        ),
        FieldPanel("zones", widget=forms.CheckboxSelectMultiple),
        # Two dates a row: four do not fit beside the menu at 1280 px (the best-before date fell off).
        FieldRowPanel([FieldPanel("harvest_date"), FieldPanel("production_date")]),
        FieldRowPanel([FieldPanel("packing_date"), FieldPanel("best_before")]),
        FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("is_public")]),
                FieldRowPanel([FieldPanel("status_note"), FieldPanel("status_note_en")]),
            ],
            heading=_("Tình trạng"),
        ),
        InlinePanel(
            "events",
            heading=_("Hành trình (sự kiện truy xuất)"),
            label=_("Sự kiện"),
            panels=[
                FieldRowPanel([FieldPanel("step"), FieldPanel("occurred_at"), FieldPanel("time_zone_offset")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("place_en"), FieldPanel("zone")]),
                FieldPanel("actor"),
                FieldPanel("input_lots"),
                FieldPanel("certifications", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("photo"), FieldPanel("document")]),
                FieldRowPanel([FieldPanel("notes"), FieldPanel("notes_en")]),
            ],
        ),
    ]

    def get_queryset(self, request):
        return Lot.objects.select_related("product")


class ProductAdminURLFinder(ModelAdminURLFinder):
    """A product's edit link anywhere in the admin (choosers, usage) opens its one page, in Oscar's dashboard.

    Products, with their GTIN, cooperative, zones, certificates and variants, are edited only there
    (shop/dashboard/catalogue); the scoped permission policy above still decides who gets the link.
    """

    edit_url_name = "dashboard:catalogue-product"


register_admin_url_finder(Product, ProductAdminURLFinder)


class TraceabilityGroup(SnippetViewSetGroup):
    menu_label = _("Truy xuất nguồn gốc")
    menu_icon = "site"
    menu_order = 250
    items = (CooperativeViewSet, ZoneViewSet, CertificationViewSet, OcopRatingViewSet, LotViewSet)


register_snippet(TraceabilityGroup)


# STAFF HOME: the traceability panels of each cooperative (catalog/panels.py)
# ------------------------------------------------------------------------------
@hooks.register("construct_homepage_panels")
def add_traceability_panels(request, panels):
    cooperatives = workspace_cooperatives(request)
    if not cooperatives:
        return
    if is_platform_admin(request.user):
        panels.append(CooperativeChoicePanel(request))
    panels.append(ExpiringCertificatesPanel(request, cooperatives))
    panels.append(LotsOnHoldPanel(request, cooperatives))
