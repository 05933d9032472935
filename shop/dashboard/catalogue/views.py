"""Oscar's product dashboard, where a product is its cooperative's (`Product.cooperative`).

Oscar opens a product to every partner user with a stock record of it, so a product stocked by
both partners was editable by both, and leaves variants to is_staff users (oscar issues #2240,
#2655). Here every list, page, lookup, bulk action and export is narrowed by `catalog.scoping`
(the mixin and Q in mixins.py and utils.py), the stock forms take only the member's own partner,
variants are edited with price and stock on their parent's page, and products and stock come and
go as CSV with a preview (resources.py).
"""

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.core.loading import get_class, get_model

from catalog.scoping import cooperative_for, is_platform_admin, scope
from shop.dashboard.catalogue import resources

Product = get_model("catalogue", "Product")
Cooperative = get_model("catalogue", "Cooperative")
OcopRating = get_model("catalogue", "OcopRating")
StockRecord = get_model("partner", "StockRecord")
VariantFormSet = get_class("dashboard.catalogue.formsets", "VariantFormSet")
ProductImportForm = get_class("dashboard.catalogue.forms", "ProductImportForm")
protected_by = get_class("dashboard.catalogue.formsets", "protected_by")


def own_stockrecords(user):
    """Stock records the user may see, prefetched as `own_stockrecords` (never the other cooperative's prices)."""
    return Prefetch(
        "stockrecords", queryset=scope(StockRecord.objects.order_by("pk"), user), to_attr="own_stockrecords"
    )


class ProductListView(oscar_views.ProductListView):
    def get_queryset(self):
        return (
            super().get_queryset().select_related("cooperative").prefetch_related(own_stockrecords(self.request.user))
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["export_cooperatives"] = scope(Cooperative.objects.all(), self.request.user)
        return ctx


# The tab of the product page (product_update.html) where each formset shows its errors.
FORMSET_TABS = {
    "category_formset": _("Danh mục"),
    "image_formset": _("Ảnh"),
    "stockrecord_formset": _("Giá và tồn kho"),
    "variant_formset": _("Biến thể (quy cách)"),
    "recommended_formset": _("Gợi ý mua kèm"),
}
SEO_FIELDS = ("slug", "meta_title", "meta_description")


def field_error(form, name, errors):
    """“Label: first error”, or the error alone for a form-wide one."""
    field = form.fields.get(name)
    error = str(errors[0]).strip()
    return f"{field.label}: {error}" if field is not None and field.label else error


def formset_error(formset, row_name):
    """The first error of a formset (its own, or its first invalid row's, named like the table names it), or None."""
    if formset.non_form_errors():
        return str(formset.non_form_errors()[0]).strip()
    for number, row in enumerate(formset.forms, start=1):
        if formset.can_delete and formset._should_delete_form(row):
            continue  # a row being removed is not checked
        if row.errors:
            name, errors = next(iter(row.errors.items()))
            return f"{row_name % {'n': number}}, {field_error(row, name, errors)}"
    return None


def error_summary(form, formsets) -> str:
    """Which tabs of the product page hold errors and the first error of each, in one sentence.

    Oscar's own message only says the data was not valid; on a page of eight tabs the person then
    has to find the one with the error, marked only by an icon.
    """
    problems = {}
    for name, errors in form.errors.items():
        if name.startswith("attr_"):
            tab = _("Khối lượng và thuộc tính")
        elif name in SEO_FIELDS:
            tab = _("Tối ưu tìm kiếm")
        else:
            tab = _("Thông tin sản phẩm")
        problems.setdefault(str(tab), field_error(form, name, errors))
    for name, formset in formsets.items():
        row_name = _("biến thể %(n)s") if name == "variant_formset" else _("dòng %(n)s")
        message = formset_error(formset, row_name)
        if message:
            problems.setdefault(str(FORMSET_TABS.get(name, name)), message)
    details = "; ".join(f"“{tab}”: {message}" for tab, message in problems.items())
    return _("Chưa lưu được. Hãy sửa ở mục %(details)s") % {"details": details}


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    """One page per product; a parent product's page also edits its variants (`variant_formset`)."""

    variant_formset = VariantFormSet

    def get_object(self, queryset=None):
        parent_pk = self.kwargs.get("parent_pk")
        if parent_pk is not None:
            # Oscar looks the parent up among all products: only the user's own may get a variant.
            get_object_or_404(self.get_queryset(), pk=parent_pk)
        product = super().get_object(queryset)
        if self.parent is None:
            self.formsets["variant_formset"] = self.variant_formset
        return product

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = self.object
        ctx["ocop_ratings"] = (
            list(OcopRating.objects.filter(product=product).order_by("-issued_on")) if product and product.pk else []
        )
        ctx["can_delete_products"] = self.request.user.has_perm("catalogue.delete_product")
        return ctx

    def clean(self, form, formsets):
        variants = formsets.get("variant_formset")
        stock = formsets["stockrecord_formset"]
        if variants is None or not variants.is_valid() or not stock.is_valid():
            return True
        kept = [f for f in stock.forms if f not in stock.deleted_forms and (f.instance.pk or f.has_changed())]
        if variants.has_variants() and kept:
            variants.non_form_errors().append(
                _(
                    "Sản phẩm có biến thể thì giá và tồn kho ghi ở từng biến thể: hãy xóa dòng ở mục "
                    "“Giá và tồn kho” của sản phẩm (hoặc chép nó thành một biến thể) rồi lưu lại."
                )
            )
            return False
        return True

    def forms_invalid(self, form, formsets):
        # Oscar's, with a message that says where the errors are and what they are.
        if self.creating and self.object and self.object.pk is not None:
            self.object.delete()
            self.object = None
        messages.error(self.request, error_summary(form, formsets))
        return self.render_to_response(self.get_context_data(form=form, **formsets))

    def forms_valid(self, form, formsets):
        with transaction.atomic():
            response = super().forms_valid(form, formsets)
            self.update_structure()
        return response

    def update_structure(self):
        """A product with variants is a parent; after its last variant it is a single product again."""
        product = self.object
        if product.is_child:
            return
        has_variants = product.children.exists()
        structure = Product.PARENT if has_variants else Product.STANDALONE
        if product.structure != structure:
            product.structure = structure
            product.save(update_fields=["structure"])


class ProductDeleteView(oscar_views.ProductDeleteView):
    def delete(self, request, *args, **kwargs):
        product = self.get_object()
        blocking = protected_by(product)
        if blocking:
            messages.error(
                request,
                _("Không xóa được “%(product)s”: còn %(what)s gắn với nó. Bỏ chọn “Đang bán” để ẩn sản phẩm.")
                % {"product": product.get_title(), "what": blocking},
            )
            return redirect("dashboard:catalogue-product", pk=product.pk)
        with transaction.atomic():
            return super().delete(request, *args, **kwargs)


class ProductLookupView(oscar_views.ProductLookupView):
    """The product picker of the upselling form: the user's own products only."""

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user)


# CSV IMPORT AND EXPORT
# ------------------------------------------------------------------------------
IMPORT_SALT = "shop.dashboard.catalogue.import"
# How long a previewed file may wait for its confirmation.
IMPORT_MAX_AGE = 60 * 60


def export_cooperative(request):
    """Whose products an export holds: the member's cooperative; for a platform admin, `?cooperative=` or all."""
    if is_platform_admin(request.user):
        pk = request.GET.get("cooperative")
        return get_object_or_404(Cooperative, pk=pk) if pk else None
    cooperative = cooperative_for(request.user)
    if cooperative is None:
        raise Http404
    return cooperative


class ProductExportView(generic.View):
    """The user's own products and stock as CSV, in exactly the columns the import reads."""

    def get(self, request):
        cooperative = export_cooperative(request)
        queryset = scope(Product.objects.all(), request.user)
        if cooperative is not None:
            queryset = queryset.filter(cooperative=cooperative)
        content = resources.export_csv(queryset, cooperative)
        name = f"san-pham-{cooperative.slug if cooperative else 'tat-ca'}-{timezone.localdate():%Y-%m-%d}.csv"
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ProductImportView(generic.FormView):
    """Upload a CSV, see what it would change row by row (nothing is saved yet), then confirm."""

    template_name = "oscar/dashboard/catalogue/product_import.html"
    form_class = ProductImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = resources.COLUMNS
        ctx["title"] = _("Nhập sản phẩm từ tệp CSV")
        return ctx

    def form_valid(self, form):
        try:
            text = resources.read_upload(form.cleaned_data["file"])
            dataset = resources.load_dataset(text)
        except resources.FileProblem as problem:
            form.add_error("file", problem.message)
            return self.form_invalid(form)
        preview = resources.preview(dataset, form.cooperative, self.request.user)
        token = None
        if not preview.has_errors:
            token = signing.dumps(
                {"csv": text, "cooperative": form.cooperative.pk, "user": self.request.user.pk},
                salt=IMPORT_SALT,
                compress=True,
            )
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, token=token, cooperative=form.cooperative)
        )


class ProductImportConfirmView(generic.View):
    """Import the previewed file for real: all rows in one transaction, or none if any row fails."""

    def post(self, request):
        try:
            payload = signing.loads(request.POST.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ: hãy tải tệp lên lại."))
            return redirect("dashboard:catalogue-product-import")
        if payload.get("user") != request.user.pk:
            raise Http404
        cooperative = get_object_or_404(scope(Cooperative.objects.all(), request.user), pk=payload["cooperative"])
        result = resources.run_import(resources.load_dataset(payload["csv"]), cooperative, request.user)
        if result.has_errors:
            # The data changed since the preview: nothing was imported; show why.
            form = ProductImportForm(user=request.user)
            view = ProductImportView(request=request, kwargs={})
            messages.error(request, _("Không nhập gì cả: có dòng lỗi (xem bên dưới)."))
            return view.render_to_response(
                view.get_context_data(form=form, preview=result, token=None, cooperative=cooperative)
            )
        messages.success(
            request,
            _("Đã nhập tệp: %(new)s sản phẩm mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
            % {"new": result.new, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect(reverse("dashboard:catalogue-product-list"))
