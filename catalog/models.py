"""The product domain: Oscar's catalogue, extended for two languages and traceability.

Traceability: each cooperative (one per Oscar partner) has raw-material zones; certificates are held
by a cooperative, a zone or a product; a product has an OCOP rating, claimed certificates and origin
zones; a lot of a product has a timeline of trace events. Every model's queryset has
`for_cooperative(cooperative)`, the one filter that scopes it to a cooperative's own objects.

New models go above the trailing import so Oscar's loader picks ours first.
"""

import calendar
import hashlib
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.apps.catalogue.managers import ProductQuerySet as CoreProductQuerySet
from wagtail.models import Orderable

from catalog.gs1 import InvalidIdentifier, digital_link, normalise_gtin, validate_gtin, validate_lot_code

# How long before expiry a certificate shows as "expiring soon".
EXPIRY_WARNING_DAYS = 60
# An OCOP certificate is valid for 36 months from its decision (Decision 148/QĐ-TTg).
OCOP_VALIDITY_MONTHS = 36
VIETNAM_OFFSET = "+07:00"


def in_english() -> bool:
    return (get_language() or "vi").startswith("en")


def pick(vietnamese, english):
    """The English text when English is active and it exists, else the Vietnamese source."""
    return english if english and in_english() else vietnamese


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def file_sha256(field_file) -> str:
    """SHA-256 of a FieldFile, whether just uploaded or already in storage."""
    digest = hashlib.sha256()
    committed = field_file._committed
    if committed:
        field_file.open("rb")
    try:
        for chunk in field_file.chunks():
            digest.update(chunk)
    finally:
        if committed:
            field_file.close()
    return digest.hexdigest()


class AdministrativeUnits(models.TextChoices):
    # Since 1 July 2025 districts are gone and Bình Phước is part of Đồng Nai: say which map a place uses.
    BEFORE_2025 = "before_2025", _("Đơn vị hành chính trước 1/7/2025 (tỉnh – huyện – xã)")
    FROM_2025 = "from_2025", _("Đơn vị hành chính từ 1/7/2025 (tỉnh – xã)")


class CooperativeScopedQuerySet(models.QuerySet):
    """Base for every traceability queryset: `cooperative_lookup` names the path to the owner."""

    cooperative_lookup = "cooperative"

    def for_cooperative(self, cooperative):
        return self.filter(**{self.cooperative_lookup: cooperative})


# COOPERATIVES AND ZONES
# ------------------------------------------------------------------------------
class CooperativeQuerySet(CooperativeScopedQuerySet):
    def for_cooperative(self, cooperative):
        return self.filter(pk=cooperative.pk)


class Cooperative(ClusterableModel):
    """A cooperative that sells in the shop; its Oscar partner holds its stock and orders."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="cooperative", verbose_name=_("Đối tác Oscar")
    )
    slug = models.SlugField(_("Đường dẫn"), unique=True)
    name = models.CharField(_("Tên hợp tác xã"), max_length=255)
    name_en = models.CharField(_("Tên (tiếng Anh)"), max_length=255, blank=True)
    registration_number = models.CharField(_("Số đăng ký hợp tác xã"), max_length=64, blank=True)
    founded_on = models.DateField(_("Ngày thành lập"), null=True, blank=True)
    address = models.TextField(_("Địa chỉ"), blank=True)
    address_units = models.CharField(
        _("Địa chỉ theo"), max_length=16, choices=AdministrativeUnits.choices, default=AdministrativeUnits.FROM_2025
    )
    description = models.TextField(_("Giới thiệu"), blank=True)
    description_en = models.TextField(_("Giới thiệu (tiếng Anh)"), blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    website = models.URLField(_("Trang web"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Biểu trưng"),
    )

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Hợp tác xã")
        verbose_name_plural = _("Hợp tác xã")

    def __str__(self):
        return self.name

    def get_name(self):
        return pick(self.name, self.name_en)

    def get_description(self):
        return pick(self.description, self.description_en)

    def get_absolute_url(self):
        return reverse("trace:cooperative", kwargs={"slug": self.slug})


class CooperativeFigureQuerySet(CooperativeScopedQuerySet):
    pass


class CooperativeFigure(Orderable):
    """One published figure about a cooperative, always with its date and source (or marked a sample)."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Số thành viên")
        CASHEW_AREA = "cashew_area_ha", _("Diện tích điều (ha)")
        ORGANIC_AREA = "organic_area_ha", _("Diện tích điều đạt chuẩn hữu cơ (ha)")
        ORGANIC_HOUSEHOLDS = "organic_households", _("Số hộ canh tác hữu cơ")
        ETHNIC_MINORITY_SHARE = "ethnic_minority_share", _("Thành viên là đồng bào dân tộc thiểu số")
        ETHNIC_GROUPS = "ethnic_groups", _("Các dân tộc")
        OTHER = "other", _("Khác")

    cooperative = ParentalKey(Cooperative, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(_("Số liệu"), max_length=32, choices=Kind.choices)
    label = models.CharField(_("Tên số liệu (nếu là “Khác”)"), max_length=120, blank=True)
    value = models.CharField(_("Giá trị"), max_length=200)
    value_en = models.CharField(_("Giá trị (tiếng Anh)"), max_length=200, blank=True)
    as_of = models.DateField(
        _("Tính đến ngày"), null=True, blank=True, help_text=_("Để trống nếu nguồn không ghi ngày.")
    )
    source = models.CharField(_("Nguồn"), max_length=300)
    source_url = models.URLField(_("Liên kết nguồn"), blank=True)
    is_sample = models.BooleanField(_("Số liệu mẫu"), default=False)

    objects = CooperativeFigureQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("Số liệu hợp tác xã")
        verbose_name_plural = _("Số liệu hợp tác xã")

    def __str__(self):
        return f"{self.get_label()}: {self.value}"

    def get_label(self):
        return self.label if self.kind == self.Kind.OTHER and self.label else self.get_kind_display()

    def get_value(self):
        return pick(self.value, self.value_en)


class RawMaterialZoneQuerySet(CooperativeScopedQuerySet):
    pass


class RawMaterialZone(models.Model):
    """Where the raw cashew nuts grow. Its location is deliberately coarse: never a household's plot."""

    class FarmingStatus(models.TextChoices):
        CONVENTIONAL = "conventional", _("Canh tác thông thường")
        IN_CONVERSION = "in_conversion", _("Đang chuyển đổi sang hữu cơ")
        ORGANIC = "organic", _("Hữu cơ")

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="zones", verbose_name=_("Hợp tác xã")
    )
    code = models.CharField(
        _("Mã vùng"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", _("Chỉ dùng chữ in hoa không dấu, chữ số và “-”."))],
    )
    name = models.CharField(_("Tên vùng"), max_length=200)
    name_en = models.CharField(_("Tên vùng (tiếng Anh)"), max_length=200, blank=True)
    commune = models.CharField(_("Xã/phường"), max_length=120)
    province = models.CharField(_("Tỉnh/thành phố"), max_length=120)
    address_units = models.CharField(
        _("Địa danh theo"), max_length=16, choices=AdministrativeUnits.choices, default=AdministrativeUnits.FROM_2025
    )
    area_ha = models.DecimalField(_("Diện tích (ha)"), max_digits=8, decimal_places=2)
    # Two decimals of a degree is about 1 km: enough for a map, too coarse to find a household.
    latitude = models.DecimalField(
        _("Vĩ độ (gần đúng)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Tối đa 2 chữ số thập phân (khoảng 1 km), không bao giờ là vị trí chính xác của một hộ."),
    )
    longitude = models.DecimalField(
        _("Kinh độ (gần đúng)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Tối đa 2 chữ số thập phân (khoảng 1 km), không bao giờ là vị trí chính xác của một hộ."),
    )
    farming_status = models.CharField(
        _("Phương thức canh tác"), max_length=16, choices=FarmingStatus.choices, default=FarmingStatus.CONVENTIONAL
    )
    households = models.PositiveIntegerField(_("Số hộ"), null=True, blank=True)
    description = models.TextField(_("Mô tả"), blank=True)
    description_en = models.TextField(_("Mô tả (tiếng Anh)"), blank=True)

    objects = RawMaterialZoneQuerySet.as_manager()

    class Meta:
        ordering = ["cooperative", "code"]
        verbose_name = _("Vùng nguyên liệu")
        verbose_name_plural = _("Vùng nguyên liệu")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("trace:zone", kwargs={"pk": self.pk})

    def get_name(self):
        return pick(self.name, self.name_en)

    def get_description(self):
        return pick(self.description, self.description_en)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None


# CERTIFICATES
# ------------------------------------------------------------------------------
class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    EXPIRING = "expiring", _("Sắp hết hạn")
    EXPIRED = "expired", _("Hết hạn")
    SUSPENDED = "suspended", _("Bị đình chỉ")
    WITHDRAWN = "withdrawn", _("Bị thu hồi")
    NOT_YET_VALID = "not_yet_valid", _("Chưa có hiệu lực")


IN_FORCE = {CertificateStatus.VALID, CertificateStatus.EXPIRING}


def in_force(prefix: str = "", day: date | None = None) -> Q:
    """Q for certificates in force (valid or expiring) on `day`: Certification.status() as a query.

    `prefix` reaches certificates through a relation (e.g. "certifications__"). A test checks
    that this and status() agree on every boundary date.
    """
    day = day or timezone.localdate()
    p = prefix
    return (
        (Q(**{f"{p}withdrawn_on__isnull": True}) | Q(**{f"{p}withdrawn_on__gt": day}))
        & (
            Q(**{f"{p}suspended_from__isnull": True})
            | Q(**{f"{p}suspended_from__gt": day})
            | Q(**{f"{p}suspended_until__lt": day})
        )
        & (Q(**{f"{p}valid_from__isnull": True}) | Q(**{f"{p}valid_from__lte": day}))
        & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": day}))
    )


class CertificationQuerySet(CooperativeScopedQuerySet):
    def in_force(self, as_of: date | None = None):
        return self.filter(in_force(day=as_of))

    def for_display(self):
        return self.select_related("cooperative", "zone", "product", "ocoprating")


class Certification(models.Model):
    """A certificate: who holds it, what it covers, when it is valid, and a verifiable document.

    Its status is never typed in: `status(as_of)` derives it from the dates.
    """

    class Kind(models.TextChoices):
        VIETGAP = "vietgap", _("VietGAP")
        ORGANIC_VN = "organic_vn", _("Hữu cơ Việt Nam (TCVN 11041)")
        ORGANIC_EU = "organic_eu", _("Hữu cơ EU")
        ORGANIC_USDA = "organic_usda", _("Hữu cơ USDA (NOP)")
        OCOP = "ocop", _("OCOP")
        OTHER = "other", _("Khác")

    kind = models.CharField(_("Loại chứng nhận"), max_length=16, choices=Kind.choices)
    standard = models.CharField(_("Tiêu chuẩn"), max_length=120, blank=True, help_text=_("Ví dụ: TCVN 11892-1:2017"))
    number = models.CharField(_("Số chứng nhận"), max_length=100)
    certifying_body = models.CharField(_("Tổ chức chứng nhận"), max_length=255)
    # The holder is the most specific of product, zone or cooperative; the cooperative is always set.
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("Hợp tác xã")
    )
    zone = models.ForeignKey(
        RawMaterialZone,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name=_("Vùng nguyên liệu được chứng nhận"),
    )
    product = models.ForeignKey(
        "catalogue.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_certifications",
        verbose_name=_("Sản phẩm được chứng nhận"),
    )
    scope = models.TextField(_("Phạm vi chứng nhận"), blank=True)
    scope_en = models.TextField(_("Phạm vi (tiếng Anh)"), blank=True)
    issued_on = models.DateField(_("Ngày cấp"), null=True, blank=True)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    expires_on = models.DateField(
        _("Hết hiệu lực sau ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng còn hiệu lực. Để trống nếu không có hạn (ví dụ hữu cơ USDA: đánh giá hằng năm)."),
    )
    suspended_from = models.DateField(_("Đình chỉ từ"), null=True, blank=True)
    suspended_until = models.DateField(
        _("Đình chỉ đến hết ngày"), null=True, blank=True, help_text=_("Để trống khi chưa được khôi phục.")
    )
    withdrawn_on = models.DateField(_("Ngày thu hồi"), null=True, blank=True)
    status_note = models.TextField(_("Lý do đình chỉ hoặc thu hồi"), blank=True)
    status_note_en = models.TextField(_("Lý do (tiếng Anh)"), blank=True)
    document = models.FileField(
        _("Bản chứng nhận (PDF hoặc ảnh)"),
        upload_to="chung-nhan/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "webp"])],
    )
    document_sha256 = models.CharField(_("SHA-256 của bản chứng nhận"), max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["cooperative", "kind", "number"]
        verbose_name = _("Chứng nhận")
        verbose_name_plural = _("Chứng nhận")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(zone__isnull=True) | models.Q(product__isnull=True),
                name="certification_single_holder",
                violation_error_message=_("Chứng nhận cấp cho một vùng hoặc một sản phẩm, không cho cả hai."),
            )
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Reading __dict__ (not the attributes) keeps deferred fields deferred.
        loaded = self.__dict__.get("document")
        self._hashed_name = loaded if isinstance(loaded, str) and self.__dict__.get("document_sha256") else None

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if not self.document:
            self.document_sha256 = ""
        elif not self.document._committed or not self.document_sha256 or self.document.name != self._hashed_name:
            self.document_sha256 = file_sha256(self.document)
        super().save(*args, **kwargs)
        self._hashed_name = self.document.name if self.document else None

    def get_absolute_url(self):
        return reverse("trace:certificate", kwargs={"pk": self.pk})

    def get_scope(self):
        return pick(self.scope, self.scope_en)

    def get_status_note(self):
        return pick(self.status_note, self.status_note_en)

    @property
    def holder(self):
        return self.product or self.zone or self.cooperative

    @property
    def is_ocop(self):
        return self.kind == self.Kind.OCOP

    def status(self, as_of: date | None = None) -> CertificateStatus:
        """The certificate's status on `as_of` (default: today in Vietnam). The one place it is derived.

        Withdrawal wins over suspension, which wins over the validity dates. `expires_on` is the last
        valid day; within EXPIRY_WARNING_DAYS of it (inclusive) the status is "expiring".
        """
        day = as_of or timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= day:
            return CertificateStatus.WITHDRAWN
        if (
            self.suspended_from
            and self.suspended_from <= day
            and (not self.suspended_until or day <= self.suspended_until)
        ):
            return CertificateStatus.SUSPENDED
        if self.valid_from and day < self.valid_from:
            return CertificateStatus.NOT_YET_VALID
        if self.expires_on:
            if day > self.expires_on:
                return CertificateStatus.EXPIRED
            if (self.expires_on - day).days <= EXPIRY_WARNING_DAYS:
                return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    @property
    def current_status(self) -> CertificateStatus:
        return self.status()

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.OCOP and type(self) is Certification:
            errors["kind"] = _("Chứng nhận OCOP được nhập ở mục “Xếp hạng OCOP” (có số sao).")
        if self.zone_id and self.product_id:
            errors["product"] = _("Chứng nhận cấp cho một vùng hoặc một sản phẩm, không cho cả hai.")
        if self.zone_id and self.cooperative_id and self.zone.cooperative_id != self.cooperative_id:
            errors["zone"] = _("Vùng này thuộc hợp tác xã khác.")
        if self.product_id and self.cooperative_id and self.product.cooperative_id not in (None, self.cooperative_id):
            errors["product"] = _("Sản phẩm này thuộc hợp tác xã khác.")
        if self.valid_from and self.expires_on and self.expires_on < self.valid_from:
            errors["expires_on"] = _("Ngày hết hạn phải sau ngày bắt đầu hiệu lực.")
        if self.suspended_from and self.suspended_until and self.suspended_until < self.suspended_from:
            errors["suspended_until"] = _("Ngày kết thúc đình chỉ phải sau ngày bắt đầu.")
        if errors:
            raise ValidationError(errors)


class OcopRating(Certification):
    """An OCOP certificate of one product: a certification of kind OCOP with its star rating.

    Decision number, date and issuing authority are the certificate's number, issue date and body.
    """

    stars = models.PositiveSmallIntegerField(
        _("Số sao"),
        choices=[(3, _("3 sao")), (4, _("4 sao")), (5, _("5 sao"))],
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("Xếp hạng OCOP")
        verbose_name_plural = _("Xếp hạng OCOP")

    def __str__(self):
        return _("OCOP %(stars)s sao – %(number)s") % {"stars": self.stars, "number": self.number}

    def save(self, *args, **kwargs):
        self.apply_defaults()
        super().save(*args, **kwargs)

    @property
    def decision_number(self):
        return self.number

    @property
    def decision_date(self):
        return self.issued_on

    @property
    def issuing_authority(self):
        return self.certifying_body

    def apply_defaults(self):
        self.kind = Certification.Kind.OCOP
        if self.product_id and not self.cooperative_id:
            self.cooperative_id = self.product.cooperative_id
        if self.issued_on:
            self.valid_from = self.valid_from or self.issued_on
            self.expires_on = self.expires_on or add_months(self.issued_on, OCOP_VALIDITY_MONTHS)

    def clean_fields(self, exclude=None):
        # Kind, validity and cooperative follow from the product and the decision date.
        self.apply_defaults()
        super().clean_fields(exclude=exclude)

    def clean(self):
        self.apply_defaults()
        errors = {}
        if not self.product_id:
            errors["product"] = _("Xếp hạng OCOP phải gắn với một sản phẩm.")
        if not self.issued_on:
            errors["issued_on"] = _("Cần ngày quyết định.")
        if errors:
            raise ValidationError(errors)
        super().clean()


# PRODUCTS
# ------------------------------------------------------------------------------
class ProductQuerySet(CoreProductQuerySet):
    def for_cooperative(self, cooperative):
        return self.filter(cooperative=cooperative)

    def for_product_page(self):
        """What the product page shows, in four queries whatever the product has.

        The product with its cooperative and class, and as annotations whether it has options,
        recommendations and how many approved reviews (Oscar asks for each separately); its images,
        stock records and attribute values come prefetched.
        """
        from django.apps import apps
        from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery
        from django.db.models.functions import Coalesce

        Option = apps.get_model("catalogue", "Option")
        Recommendation = apps.get_model("catalogue", "ProductRecommendation")
        Review = apps.get_model("reviews", "ProductReview")
        AttributeValue = apps.get_model("catalogue", "ProductAttributeValue")
        approved = (
            Review.objects.filter(product=OuterRef("pk"), status=Review.APPROVED)
            .order_by()
            .values("product")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.select_related("cooperative", "product_class")
            .annotate(
                has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
                has_recommendations=Exists(Recommendation.objects.filter(primary=OuterRef("pk"))),
                approved_review_count=Coalesce(Subquery(approved, output_field=IntegerField()), 0),
            )
            .prefetch_related(
                "images",
                "stockrecords",
                # Oscar's get_attribute_values() reads attribute_values.all(), so this prefetch serves it.
                Prefetch(
                    "attribute_values", queryset=AttributeValue.objects.select_related("attribute", "value_option")
                ),
            )
        )


class Product(AbstractProduct):
    # Vietnamese is the source (Oscar's own title/description); English sits beside it.
    title_en = models.CharField(_("Tên sản phẩm (tiếng Anh)"), max_length=255, blank=True)
    description_en = models.TextField(_("Mô tả (tiếng Anh)"), blank=True)
    cooperative = models.ForeignKey(
        Cooperative,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("Hợp tác xã sản xuất"),
    )
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_gtin],
        help_text=_("GTIN-8, -12, -13 hoặc -14 có chữ số kiểm tra đúng; được lưu dạng GTIN-14."),
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="products", verbose_name=_("Chứng nhận áp dụng")
    )
    origin_zones = models.ManyToManyField(
        RawMaterialZone, blank=True, related_name="products", verbose_name=_("Vùng nguyên liệu")
    )

    class Meta(AbstractProduct.Meta):
        indexes = [
            # The catalogue's default order (catalog.browse.SORTS["relevance"]) over what it lists:
            # a page deep in 10,000 products reads the index instead of sorting them all.
            models.Index(
                models.F("priority").desc(),
                models.F("date_created").desc(),
                "id",
                condition=models.Q(is_public=True, parent__isnull=True),
                name="product_browse_order_idx",
            ),
        ]

    objects = ProductQuerySet.as_manager()

    def _in_english(self) -> bool:
        return in_english()

    def get_title(self):
        if self._in_english() and self.title_en:
            return self.title_en
        if not self.title and self.is_child and self.parent_id:
            return self.parent.get_title()
        return super().get_title()

    get_title.short_description = _("Tên sản phẩm")

    def get_description(self) -> str:
        if self._in_english() and self.description_en:
            return self.description_en
        if not self.description and self.is_child and self.parent_id:
            return self.parent.get_description()
        return self.description

    def get_meta_title(self):
        # Oscar's meta title (and description below) is the Vietnamese one typed in the dashboard.
        if self._in_english() and not self.meta_title:
            return self.get_title()
        return super().get_meta_title()

    def get_meta_description(self):
        if self._in_english() and not self.meta_description:
            return strip_tags(self.get_description() or "")
        return super().get_meta_description()

    def clean(self):
        super().clean()
        if self.gtin:
            try:
                self.gtin = normalise_gtin(self.gtin)
            except InvalidIdentifier as exc:
                raise ValidationError({"gtin": str(exc)}) from exc

    def save(self, *args, **kwargs):
        # Store one canonical form so /01/<GTIN-13> and /01/<GTIN-14> find the same product.
        self.gtin = normalise_gtin(self.gtin) if self.gtin else None
        if self.is_child and self.parent_id:
            # A variant is always its parent's cooperative's (catalog.scoping finds it by this field).
            self.cooperative_id = self.parent.cooperative_id
        super().save(*args, **kwargs)

    @property
    def digital_link(self):
        return digital_link(self.gtin) if self.gtin else None

    @property
    def num_approved_reviews(self):
        # Annotated by ProductQuerySet.for_product_page(); Oscar's own count otherwise.
        annotated = getattr(self, "approved_review_count", None)
        return annotated if annotated is not None else super().num_approved_reviews

    @property
    def sorted_recommended_products(self):
        if getattr(self, "has_recommendations", None) is False:  # annotated: none, so no query
            return []
        return super().sorted_recommended_products

    def get_trace_url(self):
        return reverse("trace:product", kwargs={"pk": self.pk})


# LOTS AND TRACE EVENTS
# ------------------------------------------------------------------------------
class LotQuerySet(CooperativeScopedQuerySet):
    cooperative_lookup = "product__cooperative"

    def public(self):
        return self.filter(is_public=True, product__is_public=True)

    def visible_to(self, user):
        """Public lots; every lot for platform staff; and, for a cooperative's members, its own lots too
        (not public yet, on hold: they print labels and check the page before the lot goes out)."""
        if user.is_staff:
            return self
        from catalog.scoping import cooperative_for

        cooperative = cooperative_for(user)
        if cooperative is None:
            return self.public()
        return self.filter(Q(is_public=True, product__is_public=True) | Q(**{self.cooperative_lookup: cooperative}))


class Lot(ClusterableModel):
    """A batch of one product, identified on the bag by GTIN + lot code (GS1 AI 10)."""

    class Status(models.TextChoices):
        RELEASED = "released", _("Đang lưu hành")
        ON_HOLD = "on_hold", _("Tạm giữ")
        RECALLED = "recalled", _("Thu hồi")

    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        BAG = "bag", _("túi")
        BOX = "box", _("hộp")

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="lots", verbose_name=_("Sản phẩm")
    )
    code = models.CharField(
        _("Mã lô"),
        max_length=20,
        validators=[validate_lot_code],
        help_text=_("In trên bao bì sau (10); tối đa 20 ký tự theo GS1."),
    )
    zones = ParentalManyToManyField(
        RawMaterialZone, blank=True, related_name="lots", verbose_name=_("Vùng nguyên liệu")
    )
    harvest_date = models.DateField(_("Ngày thu hoạch"), null=True, blank=True)
    production_date = models.DateField(_("Ngày sản xuất"), null=True, blank=True)
    packing_date = models.DateField(_("Ngày đóng gói"), null=True, blank=True)
    best_before = models.DateField(_("Hạn sử dụng"), null=True, blank=True)
    quantity = models.DecimalField(_("Số lượng"), max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("Đơn vị"), max_length=8, choices=Unit.choices, default=Unit.BAG)
    status = models.CharField(_("Tình trạng"), max_length=16, choices=Status.choices, default=Status.RELEASED)
    status_note = models.TextField(_("Lý do tạm giữ hoặc thu hồi"), blank=True)
    status_note_en = models.TextField(_("Lý do (tiếng Anh)"), blank=True)
    is_public = models.BooleanField(_("Công khai"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["-packing_date", "code"]
        verbose_name = _("Lô hàng")
        verbose_name_plural = _("Lô hàng")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="lot_code_unique_per_product")]

    def __str__(self):
        return f"{self.code} ({self.product.get_title()})"

    def get_absolute_url(self):
        return reverse("trace:lot", kwargs={"pk": self.pk})

    def get_status_note(self):
        return pick(self.status_note, self.status_note_en)

    @property
    def digital_link(self):
        return digital_link(self.product.gtin, self.code) if self.product.gtin else None

    @property
    def is_recalled(self):
        return self.status == self.Status.RECALLED


class TraceEventQuerySet(CooperativeScopedQuerySet):
    cooperative_lookup = "lot__product__cooperative"


class TraceEvent(ClusterableModel):
    """One dated step in a lot's history. The lot is the output; `input_lots` are lots used up in it."""

    class Step(models.TextChoices):
        HARVEST = "harvest", _("Thu hoạch")
        DRYING = "drying", _("Phơi khô hạt điều thô")
        STEAMING = "steaming", _("Hấp")
        SHELLING = "shelling", _("Tách vỏ")
        KERNEL_DRYING = "kernel_drying", _("Sấy nhân")
        PEELING = "peeling", _("Bóc vỏ lụa")
        GRADING = "grading", _("Phân loại")
        ROASTING_SALTING = "roasting_salting", _("Rang và tẩm muối")
        QC = "qc", _("Kiểm tra chất lượng")
        PACKING = "packing", _("Đóng gói")
        SHIPPING = "shipping", _("Vận chuyển")

    lot = ParentalKey(Lot, on_delete=models.CASCADE, related_name="events", verbose_name=_("Lô hàng"))
    step = models.CharField(_("Công đoạn"), max_length=20, choices=Step.choices)
    occurred_at = models.DateTimeField(_("Thời điểm"))
    # Django stores UTC; the offset the event happened in is kept for display and EPCIS.
    time_zone_offset = models.CharField(
        _("Múi giờ"),
        max_length=6,
        default=VIETNAM_OFFSET,
        validators=[RegexValidator(r"^[+-](0\d|1[0-3]):[0-5]\d$|^[+-]14:00$", _("Dạng ±hh:mm, ví dụ +07:00."))],
    )
    place = models.CharField(_("Địa điểm"), max_length=255, blank=True)
    place_en = models.CharField(_("Địa điểm (tiếng Anh)"), max_length=255, blank=True)
    zone = models.ForeignKey(
        RawMaterialZone,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("Tại vùng nguyên liệu"),
    )
    actor = models.CharField(_("Người/đơn vị thực hiện"), max_length=255, blank=True)
    input_lots = ParentalManyToManyField(
        Lot, blank=True, related_name="consumed_in_events", verbose_name=_("Lô đầu vào")
    )
    certifications = ParentalManyToManyField(
        Certification, blank=True, related_name="trace_events", verbose_name=_("Chứng nhận áp dụng")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ảnh")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Tài liệu"),
    )
    notes = models.TextField(_("Ghi chú"), blank=True)
    notes_en = models.TextField(_("Ghi chú (tiếng Anh)"), blank=True)

    objects = TraceEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("Sự kiện truy xuất")
        verbose_name_plural = _("Sự kiện truy xuất")

    def __str__(self):
        return f"{self.get_step_display()} {self.local_time:%Y-%m-%d %H:%M}"

    @property
    def tzinfo(self):
        sign = -1 if self.time_zone_offset.startswith("-") else 1
        hours, minutes = self.time_zone_offset[1:].split(":")
        return dt_timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))

    @property
    def local_time(self) -> datetime:
        """The event time in the offset it happened in (+07:00 in Vietnam)."""
        return self.occurred_at.astimezone(self.tzinfo)

    @property
    def local_date(self) -> date:
        return self.local_time.date()

    def get_place(self):
        return pick(self.place, self.place_en)

    def get_notes(self):
        return pick(self.notes, self.notes_en)


# STAFF MEMBERSHIP
# ------------------------------------------------------------------------------
class CooperativeMembership(models.Model):
    """Ties a staff user to the one cooperative whose objects they may see and change.

    The role decides the Django group (its permissions); which objects is decided by
    `catalog.scoping`, the one permission helper every staff view uses.
    """

    class Role(models.TextChoices):
        MANAGER = "manager", _("Quản lý HTX")
        STAFF = "staff", _("Nhân viên HTX")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cooperative_membership",
        verbose_name=_("Người dùng"),
    )
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Hợp tác xã")
    )
    role = models.CharField(_("Vai trò"), max_length=16, choices=Role.choices, default=Role.STAFF)

    class Meta:
        ordering = ["cooperative", "user__username"]
        verbose_name = _("Thành viên quản trị của hợp tác xã")
        verbose_name_plural = _("Thành viên quản trị của hợp tác xã")

    def __str__(self):
        return f"{self.user} – {self.cooperative} ({self.get_role_display()})"


class CooperativeWorkspace(models.Model):
    """The Wagtail side of a cooperative's staff, made and kept in step by `catalog.scoping`.

    A group per role (holding the Wagtail page permissions on the cooperative's own page and the
    collection permissions), the collection its images and documents live in, and the workflow in
    which its staff submit page changes to its managers.
    """

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="workspace", verbose_name=_("Hợp tác xã")
    )
    staff_group = models.OneToOneField(
        "auth.Group", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Nhóm nhân viên")
    )
    manager_group = models.OneToOneField(
        "auth.Group", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Nhóm quản lý")
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        on_delete=models.SET_NULL,
        related_name="cooperative_workspace",
        verbose_name=_("Thư mục ảnh và tài liệu"),
    )
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Quy trình duyệt trang"),
    )

    class Meta:
        verbose_name = _("Không gian quản trị của hợp tác xã")
        verbose_name_plural = _("Không gian quản trị của hợp tác xã")

    def __str__(self):
        return str(self.cooperative)


from oscar.apps.catalogue.models import *  # noqa: E402,F403
