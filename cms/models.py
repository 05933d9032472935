"""Wagtail page types, site settings and the search table: what consumers read.

Oscar owns products; pages reference them (product blocks, collection rules, a cooperative's
partner). Page listings build their querysets in `get_context` with the related data they need.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, Orderable, Page, PagePermissionTester
from wagtail_localize.fields import SynchronizedField

from cms.blocks import BaseStreamBlock, ImageBlock, ProductListBlock
from shop.fairs.panels import FairToolsPanel

IMAGE_MODEL = "wagtailimages.Image"


def reserved_slug(slug: str) -> bool:
    """True when `/<slug>/` is answered by a fixed route (the shop, admin, ...) and not by Wagtail."""
    from wagtail.views import serve as wagtail_serve

    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return False
    return match.func is not wagtail_serve


class ShopPageForm(WagtailAdminPageForm):
    """Refuses top-level slugs that a fixed route (shop, admin, GS1 resolver...) would shadow."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        if slug and self.parent_page.depth == 2 and reserved_slug(slug):
            self.add_error(
                "slug",
                _("Đường dẫn “%(slug)s” đã dành cho cửa hàng; hãy chọn đường dẫn khác.") % {"slug": slug},
            )
        return cleaned_data


def _with_renditions(field):
    """Prefetch an image field and its renditions so a listing makes no query per item."""
    return Prefetch(field, queryset=get_image_model().objects.prefetch_renditions())


class BasePage(Page):
    """Common parts of our pages: social image, sample flag, meta description, breadcrumbs."""

    social_image = models.ForeignKey(
        IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Ảnh khi chia sẻ"),
        help_text=_("Hiện khi trang được chia sẻ lên mạng xã hội (1200 × 630). Để trống: dùng ảnh chính."),
    )
    is_sample = models.BooleanField(
        default=False,
        verbose_name=_("Nội dung mẫu"),
        help_text=_("Hiện thông báo “nội dung mẫu” trên trang (dữ liệu trình diễn)."),
    )

    base_form_class = ShopPageForm
    promote_panels = Page.promote_panels + [FieldPanel("social_image"), FieldPanel("is_sample")]

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        return self.search_description or getattr(self, "intro", "") or ""

    def get_main_image(self):
        """The page's main picture, used for cards and as the social image fallback."""
        return getattr(self, "image", None) or getattr(self, "hero_image", None)

    def get_social_image(self):
        return self.social_image or self.get_main_image()

    def get_breadcrumbs(self):
        """Ancestors from the home page down to this page's parent (one query)."""
        return list(self.get_ancestors().filter(depth__gte=2).select_related("locale"))


class HomePage(BasePage):
    intro = models.TextField(blank=True, verbose_name=_("Lời giới thiệu"))
    hero_image = models.ForeignKey(
        IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ảnh bìa")
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.CooperativeIndexPage",
        "cms.CollectionPage",
        "cms.NewsIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = list(
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")
            .select_related("locale")
            .prefetch_related(_with_renditions("image"))[:3]
        )
        context["cooperatives"] = list(
            CooperativePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("path")
            .prefetch_related(_with_renditions("hero_image"))
        )
        context["upcoming_fairs"] = list(
            TradeFairPage.objects.live()
            .public()
            .descendant_of(self)
            .filter(end_date__gte=timezone.localdate())
            .order_by("start_date")[:2]
        )
        return context


class StandardPage(BasePage):
    """About, delivery, returns, privacy, terms."""

    intro = models.TextField(blank=True, verbose_name=_("Tóm tắt"))
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Trang thông tin")


class CooperativeIndexPage(BasePage):
    intro = models.TextField(blank=True, verbose_name=_("Lời giới thiệu"))

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CooperativePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Danh sách hợp tác xã")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cooperatives"] = list(
            CooperativePage.objects.live()
            .public()
            .child_of(self)
            .order_by("path")
            .prefetch_related(_with_renditions("hero_image"))
        )
        return context


class CooperativePageForm(ShopPageForm):
    """Which cooperative a page belongs to (its partner) is the platform admin's decision: it decides
    whose staff may edit the page (catalog.scoping)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from catalog.scoping import is_platform_admin

        field = self.fields.get("partner")
        if field is not None and not is_platform_admin(self.for_user):
            field.disabled = True
            field.queryset = field.queryset.filter(pk=self.instance.partner_id)


class CooperativePagePermissionTester(PagePermissionTester):
    """A cooperative's members edit (managers publish) their page, but never delete or move it."""

    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk)

    def can_move(self):
        return self.user.is_superuser and super().can_move()


class CooperativePage(BasePage):
    """A cooperative's story, figures with their as-of dates, gallery, zones, certificates, products.

    Its members edit it and the pages below it (their news and grower stories) in every language:
    catalog.scoping gives the cooperative's groups Wagtail page permissions on it.
    """

    partner = models.ForeignKey(
        "partner.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Đối tác bán hàng"),
        help_text=_("Sản phẩm của đối tác này được liệt kê tự động trên trang."),
    )
    intro = models.TextField(blank=True, verbose_name=_("Lời giới thiệu"))
    hero_image = models.ForeignKey(
        IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ảnh bìa")
    )
    founded = models.DateField(null=True, blank=True, verbose_name=_("Ngày thành lập"))
    address = models.CharField(max_length=255, blank=True, verbose_name=_("Địa chỉ"))
    phone = models.CharField(max_length=32, blank=True, verbose_name=_("Điện thoại"))
    email = models.EmailField(blank=True, verbose_name=_("Thư điện tử"))
    members = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("Số thành viên"))
    members_as_of = models.DateField(null=True, blank=True, verbose_name=_("Số thành viên tính đến ngày"))
    area_ha = models.DecimalField(
        max_digits=9, decimal_places=1, null=True, blank=True, verbose_name=_("Diện tích điều (ha)")
    )
    area_as_of = models.DateField(null=True, blank=True, verbose_name=_("Diện tích tính đến ngày"))
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Câu chuyện"))
    gallery = StreamField(
        [("image", ImageBlock())], blank=True, verbose_name=_("Bộ ảnh"), help_text=_("Ảnh vườn, nhà xưởng, xã viên.")
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("partner"),
        MultiFieldPanel(
            [
                FieldPanel("founded"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldRowPanel([FieldPanel("members"), FieldPanel("members_as_of")]),
                FieldRowPanel([FieldPanel("area_ha"), FieldPanel("area_as_of")]),
            ],
            heading=_("Thông tin và số liệu"),
        ),
        FieldPanel("body"),
        FieldPanel("gallery"),
    ]
    base_form_class = CooperativePageForm
    parent_page_types = ["cms.CooperativeIndexPage"]
    subpage_types = ["cms.ArticlePage"]
    # Contact details are the same in every language; translators see only the words.
    override_translatable_fields = [SynchronizedField("phone")]
    articles_shown = 6

    class Meta:
        verbose_name = _("Trang hợp tác xã")

    def permissions_for_user(self, user):
        return CooperativePagePermissionTester(user, self)

    def clean(self):
        super().clean()
        errors = {}
        if self.members is not None and not self.members_as_of:
            errors["members_as_of"] = _("Cho biết số liệu tính đến ngày nào.")
        if self.area_ha is not None and not self.area_as_of:
            errors["area_as_of"] = _("Cho biết số liệu tính đến ngày nào.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from catalog import browse

        context = super().get_context(request, *args, **kwargs)
        products = []
        if self.partner_id:
            base = browse.browsable_products()
            page, paginator, _ = browse.listing(base, {"cooperative": self.partner.code}, 1, 12)
            products = list(page.object_list)
            context["product_count"] = paginator.count
        context["products"] = products
        context["articles"] = list(
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")
            .prefetch_related(_with_renditions("image"))[: self.articles_shown]
        )
        context.update(traceability_for(self))
        return context


def traceability_for(cooperative_page) -> dict:
    """The page's cooperative record with its zones and certificates (few queries, none per item)."""
    from oscar.core.loading import get_model

    if not cooperative_page.partner_id:
        return {"cooperative": None, "zones": [], "certifications": []}
    Cooperative = get_model("catalogue", "Cooperative")
    Certification = get_model("catalogue", "Certification")
    cooperative = Cooperative.objects.filter(partner_id=cooperative_page.partner_id).first()
    if cooperative is None:
        return {"cooperative": None, "zones": [], "certifications": []}
    zones = list(cooperative.zones.order_by("name"))
    certifications = list(
        Certification.objects.filter(cooperative=cooperative).for_display().order_by("kind", "-issued_on")
    )
    return {"cooperative": cooperative, "zones": zones, "certifications": certifications}


def sort_choices():
    """The catalogue's sort orders (a callable: the catalogue loads after this app)."""
    from catalog.browse import SORT_CHOICES

    return SORT_CHOICES


class CollectionPage(BasePage):
    """A product list: hand-picked, or a saved rule (cooperative, category, certification, OCOP)."""

    CURATED, RULE = "curated", "rule"

    intro = models.TextField(blank=True, verbose_name=_("Lời giới thiệu"))
    image = models.ForeignKey(
        IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ảnh")
    )
    mode = models.CharField(
        max_length=10,
        choices=[(CURATED, _("Chọn tay")), (RULE, _("Theo quy tắc"))],
        default=CURATED,
        verbose_name=_("Cách chọn sản phẩm"),
    )
    curated_products = StreamField(ProductListBlock(), blank=True, verbose_name=_("Sản phẩm chọn tay"))
    rule_category = models.ForeignKey(
        "catalogue.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Danh mục"),
    )
    rule_partner = models.ForeignKey(
        "partner.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Hợp tác xã"),
    )
    rule_certification = models.SlugField(
        max_length=32, blank=True, verbose_name=_("Chứng nhận"), help_text=_("Mã chứng nhận, ví dụ vietgap, organic.")
    )
    rule_ocop_stars = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(3, "3+"), (4, "4+"), (5, "5")], verbose_name=_("Hạng OCOP tối thiểu")
    )
    rule_sort = models.CharField(
        max_length=12, default="relevance", choices=sort_choices, verbose_name=_("Sắp xếp"), blank=True
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung thêm"))

    paginate_by = 24
    override_translatable_fields = [SynchronizedField("rule_certification")]
    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("mode"),
        FieldPanel("curated_products"),
        MultiFieldPanel(
            [
                FieldPanel("rule_partner"),
                FieldPanel("rule_category"),
                FieldPanel("rule_certification"),
                FieldPanel("rule_ocop_stars"),
                FieldPanel("rule_sort"),
            ],
            heading=_("Quy tắc (khi chọn “Theo quy tắc”)"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Bộ sưu tập sản phẩm")

    def rule_filters(self) -> dict:
        return {
            "category": self.rule_category.slug if self.rule_category_id else None,
            "cooperative": self.rule_partner.code if self.rule_partner_id else None,
            "certification": self.rule_certification or None,
            "ocop": self.rule_ocop_stars,
            "sort": self.rule_sort or "relevance",
        }

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
        from django.http import Http404

        from catalog import browse

        context = super().get_context(request, *args, **kwargs)
        number = request.GET.get("page") or 1
        try:
            if self.mode == self.RULE:
                page, paginator, _ = browse.listing(
                    browse.browsable_products(), self.rule_filters(), number, self.paginate_by
                )
            else:
                chosen = [b.value for b in self.curated_products if b.value is not None and b.value.is_public]
                paginator = Paginator(chosen, self.paginate_by)
                page = paginator.page(number)
        except (EmptyPage, PageNotAnInteger):
            raise Http404 from None
        context.update(products=page.object_list, page_obj=page, paginator=paginator)
        return context


class NewsIndexPage(BasePage):
    intro = models.TextField(blank=True, verbose_name=_("Lời giới thiệu"))

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage", "cms.TradeFairPage"]
    paginate_by = 12

    class Meta:
        verbose_name = _("Trang tin tức")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
        from django.http import Http404

        context = super().get_context(request, *args, **kwargs)
        articles = (
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")
            .prefetch_related(_with_renditions("image"))
        )
        kind = request.GET.get("kind")
        if kind in dict(ArticlePage.KINDS):
            articles = articles.filter(kind=kind)
        try:
            page = Paginator(articles, self.paginate_by).page(request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            raise Http404 from None
        context.update(
            articles=page.object_list,
            page_obj=page,
            kinds=ArticlePage.KINDS,
            kind=kind,
            querystring=f"kind={kind}" if kind in dict(ArticlePage.KINDS) else "",
            fairs=list(TradeFairPage.objects.live().public().child_of(self).order_by("-start_date")[:6]),
        )
        return context


class ArticlePage(BasePage):
    """Trade promotion news and grower stories."""

    KINDS = [
        ("news", _("Tin tức")),
        ("story", _("Câu chuyện nhà vườn")),
        ("trade", _("Xúc tiến thương mại")),
    ]

    date = models.DateField(default=timezone.localdate, verbose_name=_("Ngày đăng"))
    kind = models.CharField(max_length=10, choices=KINDS, default="news", verbose_name=_("Loại bài"))
    intro = models.TextField(blank=True, verbose_name=_("Tóm tắt"))
    image = models.ForeignKey(
        IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ảnh chính")
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung"))

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    # A cooperative's own news and grower stories live under its page (and its staff edit them).
    parent_page_types = ["cms.NewsIndexPage", "cms.CooperativePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Bài viết")


# Letters and digits, with single hyphens inside (DEMO-DN2026): short in a URL, easy to read aloud.
FAIR_CODE_PATTERN = r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$"
FAIR_CODE_MAX_LENGTH = 20
# One organiser origin per line: a scheme, a host and maybe a port, nothing else (it goes into a header).
FRAME_ORIGIN_RE = re.compile(r"^https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$")


def parse_frame_origins(text: str) -> list[str]:
    """The origins listed one per line in `text`, normalised (lower case, no trailing slash), without repeats."""
    origins = []
    for line in (text or "").splitlines():
        origin = line.strip().rstrip("/").lower()
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def validate_frame_origins(text: str) -> None:
    bad = [origin for origin in parse_frame_origins(text) if not FRAME_ORIGIN_RE.match(origin)]
    if bad:
        raise ValidationError(
            _("Không phải địa chỉ trang web hợp lệ: %(origins)s. Mỗi dòng một địa chỉ, ví dụ https://hoicho.example.vn")
            % {"origins": ", ".join(bad)}
        )


class TradeFairPageForm(ShopPageForm):
    """Fair codes are stored in capitals; organiser origins one per line, normalised."""

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean_frame_origins(self):
        return "\n".join(parse_frame_origins(self.cleaned_data.get("frame_origins") or ""))


class TradeFairPage(RoutablePageMixin, BasePage):
    """A trade fair the cooperatives attend: when, where, which booth, what they bring.

    Its code (HCM2026) is what the fair's short link /h/<code>, posters, price lists and embeds carry,
    so the shop can tell which fair a sale came through (shop.fairs). Sub-pages: the A4 poster, the
    booth price list and the organiser's kit (embed snippet with preview, feeds).
    """

    start_date = models.DateField(verbose_name=_("Ngày bắt đầu"))
    end_date = models.DateField(verbose_name=_("Ngày kết thúc"))
    venue = models.CharField(max_length=255, verbose_name=_("Địa điểm"))
    city = models.CharField(max_length=120, blank=True, verbose_name=_("Tỉnh/thành phố"))
    booth = models.CharField(max_length=60, blank=True, verbose_name=_("Gian hàng"))
    code = models.CharField(
        max_length=FAIR_CODE_MAX_LENGTH,
        db_index=True,
        validators=[
            RegexValidator(
                FAIR_CODE_PATTERN,
                _("Mã chỉ gồm chữ cái không dấu và chữ số, có thể có dấu gạch ngang ở giữa, ví dụ HCM2026."),
            )
        ],
        verbose_name=_("Mã hội chợ"),
        help_text=_(
            "Ví dụ HCM2026. In trên áp phích và bảng giá, nằm trong đường dẫn ngắn /h/<mã>. "
            "Đổi mã sau khi đã in thì mã QR đã in không còn dùng được."
        ),
    )
    frame_origins = models.TextField(
        blank=True,
        validators=[validate_frame_origins],
        verbose_name=_("Trang web được nhúng sản phẩm của hội chợ"),
        help_text=_(
            "Mỗi dòng một địa chỉ, ví dụ https://hoicho.example.vn. Để trống: mọi trang web đều nhúng được. "
            "Khi có danh sách, khung nhúng mang mã hội chợ này chỉ hiện trên các trang đó."
        ),
    )
    intro = models.TextField(blank=True, verbose_name=_("Tóm tắt"))
    image = models.ForeignKey(
        IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Ảnh")
    )
    featured_products = StreamField(ProductListBlock(), blank=True, verbose_name=_("Sản phẩm giới thiệu"))
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Nội dung"))

    base_form_class = TradeFairPageForm
    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("city")]),
        FieldPanel("booth"),
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("frame_origins"), FairToolsPanel(heading=_("Công cụ hội chợ"))],
            heading=_("Mã hội chợ, nhúng và báo cáo"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("featured_products"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    # The English page is the same fair: same code, same organisers.
    override_translatable_fields = [SynchronizedField("code"), SynchronizedField("frame_origins")]

    class Meta:
        verbose_name = _("Hội chợ triển lãm")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if self.code:
            taken = TradeFairPage.objects.filter(code=self.code).exclude(translation_key=self.translation_key)
            if taken.exists():
                raise ValidationError({"code": _("Mã này đã dùng cho hội chợ khác.")})

    @classmethod
    def for_code(cls, code):
        """The live, public fair with this code (any case), in the active language when translated; or None."""
        code = (code or "").strip().upper()
        if not code or len(code) > FAIR_CODE_MAX_LENGTH or not re.match(FAIR_CODE_PATTERN, code):
            return None
        fairs = list(cls.objects.live().public().filter(code=code).select_related("locale"))
        if not fairs:
            return None
        active = Locale.get_active()
        return next((fair for fair in fairs if fair.locale_id == active.pk), fairs[0])

    def frame_origin_list(self) -> list[str]:
        return parse_frame_origins(self.frame_origins)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = [b.value for b in self.featured_products if b.value is not None and b.value.is_public]
        return context

    # The trade-fair kit (shop.fairs.kit): printable sheets and the organiser's embed snippet.
    @path("ap-phich/", name="poster")
    def poster(self, request):
        from shop.fairs import kit

        return self.render(request, template="fairs/poster.html", context_overrides=kit.poster_context(self, request))

    @path("bang-gia/", name="price_list")
    def price_list(self, request):
        from shop.fairs import kit

        return self.render(
            request, template="fairs/price_list.html", context_overrides=kit.price_list_context(self, request)
        )

    @path("nhung/", name="kit")
    def kit(self, request):
        from shop.fairs import kit

        return self.render(request, template="fairs/kit.html", context_overrides=kit.kit_context(self, request))


# SITE SETTINGS: menus and footer, edited by staff under Settings
# ------------------------------------------------------------------------------
class LinkItem(Orderable):
    """A link to a page (followed to its translation) or to any address, labelled in both languages."""

    link_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("Trang")
    )
    link_url = models.CharField(max_length=255, blank=True, verbose_name=_("Hoặc đường dẫn"))
    label = models.CharField(
        max_length=60, blank=True, verbose_name=_("Nhãn (tiếng Việt)"), help_text=_("Để trống: dùng tên trang.")
    )
    label_en = models.CharField(max_length=60, blank=True, verbose_name=_("Nhãn (tiếng Anh)"))

    panels = [
        FieldPanel("link_page"),
        FieldPanel("link_url"),
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        super().clean()
        if not self.link_page_id and not self.link_url:
            raise ValidationError(_("Chọn một trang hoặc nhập đường dẫn."))
        if not self.link_page_id and not self.label:
            raise ValidationError({"label": _("Liên kết đến đường dẫn cần có nhãn.")})

    def label_for(self, language: str, page_title: str = "") -> str:
        if language.startswith("en") and self.label_en:
            return self.label_en
        return self.label or page_title


@register_setting(icon="list-ul")
class MenuSettings(ClusterableModel, BaseSiteSetting):
    """The main menu in the header (the catalogue link always comes first)."""

    panels = [InlinePanel("items", label=_("Mục menu"))]

    class Meta:
        verbose_name = _("Menu chính")


class MenuItem(LinkItem):
    setting = ParentalKey(MenuSettings, related_name="items", on_delete=models.CASCADE)


@register_setting(icon="list-ul")
class FooterSettings(ClusterableModel, BaseSiteSetting):
    """Footer text, contact and links; the default picture for social sharing."""

    about = models.TextField(blank=True, verbose_name=_("Giới thiệu ngắn (tiếng Việt)"))
    about_en = models.TextField(blank=True, verbose_name=_("Giới thiệu ngắn (tiếng Anh)"))
    email = models.EmailField(blank=True, verbose_name=_("Thư điện tử liên hệ"))
    phone = models.CharField(max_length=32, blank=True, verbose_name=_("Điện thoại liên hệ"))
    default_social_image = models.ForeignKey(
        IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Ảnh mặc định khi chia sẻ"),
    )

    panels = [
        FieldPanel("about"),
        FieldPanel("about_en"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("default_social_image"),
        InlinePanel("links", label=_("Liên kết chân trang")),
    ]

    class Meta:
        verbose_name = _("Chân trang")

    def about_for(self, language: str) -> str:
        return self.about_en if language.startswith("en") and self.about_en else self.about


class FooterLink(LinkItem):
    setting = ParentalKey(FooterSettings, related_name="links", on_delete=models.CASCADE)


# SEARCH
# ------------------------------------------------------------------------------
class SearchEntry(models.Model):
    """One searchable page or product, its text folded for accent-insensitive matching (cms.search)."""

    PAGE, PRODUCT = "page", "product"

    kind = models.CharField(max_length=8, choices=[(PAGE, _("Trang")), (PRODUCT, _("Sản phẩm"))])
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, blank=True, help_text=_("Trống với sản phẩm (cả hai ngôn ngữ)."))
    title = models.CharField(max_length=255)
    folded_title = models.CharField(max_length=255)
    folded = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Mục tìm kiếm")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="cms_searchentry_unique_object")]
        indexes = [models.Index(fields=["kind", "language"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"
