"""Forms of the product pages: Vietnamese with English beside it, whole-đồng prices, weights in grams,
choices limited to the user's cooperative (catalog.scoping), and variants with price and stock."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.core.loading import get_model

from catalog.scoping import cooperative_for, is_platform_admin, scope

Product = get_model("catalogue", "Product")
Cooperative = get_model("catalogue", "Cooperative")
Certification = get_model("catalogue", "Certification")
RawMaterialZone = get_model("catalogue", "RawMaterialZone")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

# The attribute shop/shipping weighs parcels by (kilograms); staff type grams.
WEIGHT_ATTRIBUTE = "weight"


def grams_from_kg(value):
    return None if value in (None, "") else round(Decimal(str(value)) * 1000)


def weight_label(grams: int) -> str:
    """250 g, 500 g, 1 kg, 2 kg: how a pack size reads in a variant's default title."""
    return f"{grams // 1000} kg" if grams % 1000 == 0 else f"{grams} g"


class WholeDongField(forms.DecimalField):
    """A price in whole đồng: shown without ".00", refusing fractions with a clear message."""

    default_error_messages = {
        "invalid": _("Nhập giá bằng số đồng chẵn, ví dụ 185000."),
        "max_decimal_places": _("Giá phải là số đồng chẵn, không có phần lẻ."),
        "min_value": _("Giá không được âm."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 12)
        super().__init__(decimal_places=0, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        # "185000.00" is a whole number of đồng too; only a real fraction is refused.
        if value is not None and value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return value

    def prepare_value(self, value):
        try:
            return int(Decimal(value)) if value not in (None, "") and Decimal(value) % 1 == 0 else value
        except (InvalidOperation, TypeError, ValueError):
            return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"step": "1", "inputmode": "numeric"})
        return attrs


def own_partner(user):
    """The Oscar partner whose stock a member keeps (their cooperative's), or None."""
    cooperative = cooperative_for(user)
    return Partner.objects.filter(pk=cooperative.partner_id) if cooperative else Partner.objects.none()


class StockRecordForm(oscar_forms.StockRecordForm):
    """Price and stock of one partner. A member's only partner is their cooperative's, fixed."""

    price = WholeDongField(label=_("Giá (đồng)"), required=False)

    class Meta(oscar_forms.StockRecordForm.Meta):
        # VND is the only currency; the model's default fills it in.
        fields = ["partner", "partner_sku", "price", "num_in_stock", "low_stock_threshold"]

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        if not is_platform_admin(user):
            partner = self.fields["partner"]
            partner.queryset = own_partner(user)
            partner.empty_label = None
            partner.initial = partner.queryset.first()


class ScopedChoicesMixin:
    """The product's cooperative, certificates and zones: a member gets only their own, fixed cooperative."""

    def limit_to(self, user):
        admin = is_platform_admin(user)
        if "cooperative" in self.fields:
            field = self.fields["cooperative"]
            field.required = True
            field.queryset = scope(Cooperative.objects.all(), user)
            if not admin:
                field.empty_label = None
                field.initial = cooperative_for(user)
                # Which cooperative a product belongs to is not the member's to change.
                field.disabled = True
        if "certifications" in self.fields:
            # OCOP ratings are shown with their stars and edited in the admin's OCOP screen.
            self.fields["certifications"].queryset = (
                scope(Certification.objects.all(), user)
                .exclude(kind=Certification.Kind.OCOP)
                .select_related("cooperative")
                .order_by("cooperative__name", "kind", "number")
            )
        if "origin_zones" in self.fields:
            self.fields["origin_zones"].queryset = scope(RawMaterialZone.objects.all(), user).select_related(
                "cooperative"
            )

    def clean(self):
        cleaned = super().clean()
        cooperative = cleaned.get("cooperative")
        if cooperative:
            for name in ("certifications", "origin_zones"):
                foreign = [obj for obj in cleaned.get(name) or [] if obj.cooperative_id != cooperative.pk]
                if foreign:
                    self.add_error(
                        name,
                        _("%(items)s thuộc hợp tác xã khác.") % {"items": ", ".join(str(obj) for obj in foreign)},
                    )
        return cleaned


class ProductForm(ScopedChoicesMixin, oscar_forms.ProductForm):
    """One page per product: Vietnamese fields with their English beside them, and traceability."""

    class Meta(oscar_forms.ProductForm.Meta):
        fields = [
            "title",
            "title_en",
            "upc",
            "description",
            "description_en",
            "cooperative",
            "gtin",
            "certifications",
            "origin_zones",
            "is_public",
            "is_discountable",
            "structure",
            "slug",
            "meta_title",
            "meta_description",
        ]
        widgets = {
            **oscar_forms.ProductForm.Meta.widgets,
            "certifications": forms.CheckboxSelectMultiple,
            "origin_zones": forms.CheckboxSelectMultiple,
        }
        labels = {"title": _("Tên sản phẩm"), "upc": _("Mã sản phẩm (SKU)"), "description": _("Mô tả")}
        help_texts = {"upc": _("Mã riêng của sản phẩm, dùng khi nhập và xuất tệp CSV.")}

    # Fields a variant takes from its parent.
    PARENT_FIELDS = (
        "description",
        "description_en",
        "is_discountable",
        "cooperative",
        "certifications",
        "origin_zones",
    )

    def __init__(self, product_class, *args, user=None, **kwargs):
        super().__init__(product_class, *args, **kwargs)
        self.limit_to(user)
        if self.instance.pk is None and not is_platform_admin(user):
            self.instance.cooperative = cooperative_for(user)

    def delete_non_child_fields(self):
        for name in self.PARENT_FIELDS:
            self.fields.pop(name, None)

    def add_attribute_fields(self, product_class, is_parent=False):
        super().add_attribute_fields(product_class, is_parent)
        name = f"attr_{WEIGHT_ATTRIBUTE}"
        if name in self.fields:
            self.fields[name] = forms.IntegerField(
                label=_("Khối lượng (g)"),
                min_value=1,
                required=False,
                help_text=_("Khối lượng một túi hoặc hộp khi gửi hàng; phí giao hàng tính theo nó."),
            )

    def set_initial_attribute_values(self, product_class, kwargs):
        super().set_initial_attribute_values(product_class, kwargs)
        name = f"attr_{WEIGHT_ATTRIBUTE}"
        if name in kwargs["initial"]:
            kwargs["initial"][name] = grams_from_kg(kwargs["initial"][name])

    def clean(self):
        cleaned = super().clean()
        name = f"attr_{WEIGHT_ATTRIBUTE}"
        if name in self.fields:
            grams = cleaned.get(name)
            cleaned[name] = grams / 1000 if grams else None
        return cleaned

    def save(self, *args, **kwargs):
        if self.instance.is_child:
            # A variant belongs to its parent's cooperative, always.
            self.instance.cooperative_id = self.instance.parent.cooperative_id
        return super().save(*args, **kwargs)


class VariantForm(forms.ModelForm):
    """One variant (250 g, 500 g, 1 kg) on its parent's page: its own title, SKU, GTIN, weight, price, stock."""

    sku = forms.CharField(label=_("Mã SKU"), max_length=64)
    weight_g = forms.IntegerField(label=_("Khối lượng (g)"), min_value=1)
    price = WholeDongField(label=_("Giá (đồng)"))
    num_in_stock = forms.IntegerField(
        label=_("Tồn kho"), min_value=0, error_messages={"min_value": _("Tồn kho không được âm.")}
    )

    class Meta:
        model = Product
        fields = ["title", "title_en", "gtin", "is_public"]
        labels = {"title": _("Tên biến thể"), "title_en": _("Tên (tiếng Anh)"), "is_public": _("Đang bán")}
        help_texts = {"title": "", "title_en": "", "gtin": ""}

    def __init__(self, *args, partner=None, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.instance.parent = parent
        self.fields["title"].required = False
        self.fields["title"].widget.attrs["placeholder"] = _("Để trống: tên sản phẩm + khối lượng")
        self.fields["title_en"].widget.attrs["placeholder"] = _("Tên tiếng Anh (tùy chọn)")
        self.stockrecord = None
        if self.instance.pk:
            self.stockrecord = next(
                (
                    record
                    for record in self.instance.stockrecords.all()
                    if record.partner_id == getattr(partner, "pk", None)
                ),
                None,
            )
            self.initial["weight_g"] = grams_from_kg(getattr(self.instance.attr, WEIGHT_ATTRIBUTE, None))
            if self.stockrecord:
                self.initial.update(
                    sku=self.stockrecord.partner_sku,
                    price=self.stockrecord.price,
                    num_in_stock=self.stockrecord.num_in_stock,
                )
            else:
                self.initial["sku"] = self.instance.upc

    def _post_clean(self):
        # A variant is a child of a parent product; Oscar validates that against the parent's structure.
        # Like Oscar's ProductForm, the parent is made a parent only for validation: the view saves it.
        parent = self.instance.parent
        structure, parent.structure = parent.structure, Product.PARENT
        self.instance.structure = Product.CHILD
        self.instance.product_class = None
        if self.cleaned_data.get("sku"):
            self.instance.upc = self.cleaned_data["sku"]
        try:
            super()._post_clean()
        finally:
            parent.structure = structure

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        others = Product.objects.filter(upc=sku).exclude(pk=self.instance.pk)
        taken_stock = StockRecord.objects.filter(partner=self.partner, partner_sku=sku).exclude(
            product=self.instance.pk
        )
        if others.exists() or taken_stock.exists():
            raise forms.ValidationError(_("Mã SKU này đã dùng cho sản phẩm khác."))
        return sku

    def save(self, commit=True):
        variant = super().save(commit=False)
        parent = variant.parent
        grams = self.cleaned_data["weight_g"]
        if not variant.title:
            variant.title = f"{parent.title} – {weight_label(grams)}"
        if not variant.title_en and parent.title_en:
            variant.title_en = f"{parent.title_en} – {weight_label(grams)}"
        variant.cooperative_id = parent.cooperative_id
        variant.upc = self.cleaned_data["sku"]
        setattr(variant.attr, WEIGHT_ATTRIBUTE, grams / 1000)
        variant.save()
        record = self.stockrecord or StockRecord(product=variant, partner=self.partner)
        record.partner_sku = self.cleaned_data["sku"]
        record.price = self.cleaned_data["price"]
        record.num_in_stock = self.cleaned_data["num_in_stock"]
        record.save()
        return variant


class SetProductPriceForm(oscar_forms.SetProductPriceForm):
    """Oscar's bulk price change, in whole đồng."""

    new_price = WholeDongField(label=_("Giá mới (đồng)"), required=False)
    increase_by_amount = WholeDongField(
        label=_("Tăng thêm (đồng)"), required=False, min_value=None, help_text=_("Số âm để giảm giá.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name.startswith("price_"):
                self.fields[name] = WholeDongField(label="", required=False)


class ProductImportForm(forms.Form):
    """The CSV file to import, and (for a platform admin) the cooperative it is for."""

    file = forms.FileField(
        label=_("Tệp CSV"),
        error_messages={"empty": _("Tệp trống.")},
        help_text=_("UTF-8 (có hoặc không có BOM, như Excel lưu “CSV UTF-8”), phân cách bằng dấu phẩy hoặc chấm phẩy."),
    )
    cooperative = forms.ModelChoiceField(label=_("Hợp tác xã"), queryset=Cooperative.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        if is_platform_admin(user):
            self.fields["cooperative"].queryset = Cooperative.objects.all()
        else:
            del self.fields["cooperative"]
            self.cooperative = cooperative_for(user)

    def clean(self):
        cleaned = super().clean()
        if "cooperative" in cleaned:
            self.cooperative = cleaned["cooperative"]
        return cleaned
