from django import forms
from django.db.models import Prefetch, ProtectedError
from django.db.models.deletion import Collector
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import formsets
from oscar.core.loading import get_classes, get_model

from catalog.scoping import cooperative_for, is_platform_admin, scope

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
VariantForm, StockRecordForm = get_classes("dashboard.catalogue.forms", ("VariantForm", "StockRecordForm"))


def protected_by(obj):
    """What stops `obj` from being deleted (lots, certificates: on_delete=PROTECT), as text, or ""."""
    collector = Collector(using="default")
    try:
        collector.collect([obj])
    except ProtectedError as exc:
        return ", ".join(sorted({str(o._meta.verbose_name) for o in exc.protected_objects}))
    return ""


class StockRecordFormSet(formsets.StockRecordFormSet):
    """A member sees and saves only their own partner's stock records of a product (catalog.scoping).

    Whether a product needs a stock record at all (not when it has variants) is decided by the
    product view, which sees both this formset and the variants.
    """

    def __init__(self, product_class, user, *args, **kwargs):
        if not is_platform_admin(user) and "instance" in kwargs and "queryset" not in kwargs:
            kwargs["queryset"] = scope(StockRecord.objects.filter(product=kwargs["instance"]), user)
        super().__init__(product_class, user, *args, **kwargs)
        self.require_user_stockrecord = False

    def set_initial_data(self):
        pass  # the form preselects the member's partner itself


BaseProductRecommendationFormSet = formsets.ProductRecommendationFormSet


class ProductRecommendationFormSet(BaseProductRecommendationFormSet):
    """Upselling offers only the user's own products."""

    def __init__(self, product_class, user, *args, **kwargs):
        self.user = user
        super().__init__(product_class, user, *args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["recommendation"].queryset = scope(Product.objects.all(), self.user)
        return form


class BaseVariantFormSet(BaseInlineFormSet):
    """The variants of a product on its own page: one row each, with weight, SKU, price and stock.

    Each variant keeps one stock record of the product's cooperative's partner. Removing a variant
    deletes it (a manager's permission); the parent turns back into a single product with its last.
    """

    def __init__(self, product_class, user, *args, **kwargs):
        self.user = user
        instance = kwargs.get("instance")
        cooperative = getattr(instance, "cooperative", None) or cooperative_for(user)
        self.partner = cooperative.partner if cooperative else None
        kwargs.setdefault(
            "queryset",
            Product.objects.filter(structure=Product.CHILD)
            .order_by("pk")
            .prefetch_related(Prefetch("stockrecords", queryset=StockRecord.objects.order_by("pk"))),
        )
        super().__init__(*args, **kwargs)
        self.can_delete = user.has_perm("catalogue.delete_product")

    @classmethod
    def get_default_prefix(cls):
        return "variants"

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "partner": self.partner, "parent": self.instance}

    def has_variants(self):
        """Whether the product will have variants once saved (bound: as posted)."""
        return any(
            not self._should_delete_form(form) and (form.instance.pk or form.has_changed()) for form in self.forms
        )

    def clean(self):
        super().clean()
        if self.partner is None and self.has_variants():
            raise forms.ValidationError(_("Chọn hợp tác xã của sản phẩm trước khi thêm biến thể."))
        skus = [
            form.cleaned_data.get("sku")
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and hasattr(form, "cleaned_data")
        ]
        for form in self.deleted_forms:
            if form.instance.pk and (blocking := protected_by(form.instance)):
                raise forms.ValidationError(
                    _("Không xóa được “%(variant)s”: còn %(what)s gắn với nó. Bỏ chọn “Đang bán” để ẩn biến thể.")
                    % {"variant": form.instance.get_title(), "what": blocking}
                )
        duplicates = sorted({sku for sku in skus if sku and skus.count(sku) > 1})
        if duplicates:
            raise forms.ValidationError(_("Hai biến thể trùng mã SKU: %(skus)s.") % {"skus": ", ".join(duplicates)})

    def save_new(self, form, commit=True):
        return form.save(commit=commit)

    def save_existing(self, form, obj, commit=True):
        return form.save(commit=commit)


VariantFormSet = inlineformset_factory(
    Product,
    Product,
    form=VariantForm,
    formset=BaseVariantFormSet,
    fk_name="parent",
    fields=VariantForm._meta.fields,
    extra=3,
    can_delete=True,
)
