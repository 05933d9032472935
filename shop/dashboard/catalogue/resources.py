"""Products and stock as CSV, through django-import-export: a dry-run preview, row-level errors, all or nothing.

One row is one sellable item of one cooperative: a single product, a parent product (no price or stock
of its own) or a variant of a parent, with the stock record of the cooperative's partner. The export
writes exactly the columns the import reads, so export -> edit in Excel -> import round-trips.
Rows are matched by SKU, only among the cooperative's own products; a SKU or parent of another
cooperative is an error, never an update. An import never deletes anything.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult
from oscar.core.loading import get_model

from catalog.gs1 import InvalidIdentifier, normalise_gtin
from shop.dashboard.catalogue.forms import WEIGHT_ATTRIBUTE, grams_from_kg, weight_label

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

MAX_ROWS = 5000
MAX_BYTES = 2 * 2**20  # the confirmation carries the file back (compressed), within Django's POST limit
CATEGORY_SEPARATOR = "|"

# (column, what it holds), in file order. The README and the import page show this table.
COLUMNS = [
    ("sku", _("Mã SKU của sản phẩm hoặc biến thể. Bắt buộc. SKU đã có: cập nhật; SKU mới: thêm sản phẩm.")),
    ("parent_sku", _("Chỉ với biến thể: SKU của sản phẩm cha (dòng sản phẩm cha đứng trước). Còn lại để trống.")),
    ("title", _("Tên sản phẩm (tiếng Việt). Bắt buộc, trừ biến thể (để trống: tên sản phẩm cha + khối lượng).")),
    ("title_en", _("Tên tiếng Anh. Có thể để trống.")),
    ("description", _("Mô tả tiếng Việt (được dùng HTML). Có thể để trống.")),
    ("description_en", _("Mô tả tiếng Anh. Có thể để trống.")),
    ("category", _("Danh mục: tên hoặc đường dẫn (slug), nhiều danh mục cách nhau bằng “|”. Để trống ở biến thể.")),
    ("gtin", _("GTIN-8, -12, -13 hoặc -14 có chữ số kiểm tra đúng. Có thể để trống.")),
    ("weight_g", _("Khối lượng một túi hoặc hộp, tính bằng gam (số nguyên). Để trống ở sản phẩm cha.")),
    ("price", _("Giá bán, số đồng chẵn: 185000 hoặc 185.000. Để trống ở sản phẩm cha.")),
    ("num_in_stock", _("Tồn kho: số nguyên, không âm. Để trống ở sản phẩm cha.")),
    ("is_public", _("Đang bán: “có” hoặc “không”. Để trống: sản phẩm mới thì có, sản phẩm đã có thì giữ nguyên.")),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]
YES = {"có", "co", "yes", "y", "1", "true", "x"}
NO = {"không", "khong", "no", "n", "0", "false"}
# Spreadsheet programs run a cell starting with these as a formula: exported text gets a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, columns, empty): nothing is imported."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# READING THE FILE
# ------------------------------------------------------------------------------
def read_upload(upload) -> str:
    """The uploaded file as text: UTF-8 with or without the BOM Excel writes, else a FileProblem."""
    if upload.size > MAX_BYTES:
        raise FileProblem(_("Tệp lớn quá (tối đa %(mb)s MB): hãy chia thành nhiều tệp.") % {"mb": MAX_BYTES // 2**20})
    data = upload.read()
    if not data.strip():
        raise FileProblem(_("Tệp trống."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _(
                "Tệp không phải mã UTF-8 (lỗi ở byte thứ %(position)s). Trong Excel chọn Lưu thành → "
                "“CSV UTF-8 (phân cách bằng dấu phẩy)”, rồi tải lên lại."
            )
            % {"position": exc.start + 1}
        ) from exc


def load_dataset(text: str) -> tablib.Dataset:
    """Parse the CSV text (comma, semicolon or tab separated) and check its columns, else a FileProblem."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileProblem(_("Tệp trống."))
    header = text.splitlines()[0]
    # Excel in Vietnamese writes ";" (the list separator where "," is the decimal comma).
    delimiter = max([",", ";", "\t"], key=header.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(_("Không đọc được tệp CSV: %(error)s") % {"error": exc}) from exc
    headers = [column.strip() for column in rows[0]]
    missing = [column for column in COLUMN_NAMES if column not in headers]
    unknown = [column for column in headers if column not in COLUMN_NAMES]
    duplicated = sorted({column for column in headers if headers.count(column) > 1})
    if missing or unknown or duplicated:
        problems = []
        if missing:
            problems.append(_("thiếu cột %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(_("cột không dùng được %(columns)s") % {"columns": ", ".join(unknown) or "(trống)"})
        if duplicated:
            problems.append(_("cột lặp lại %(columns)s") % {"columns": ", ".join(duplicated)})
        raise FileProblem(
            _("Sai cột: %(problems)s. Tệp cần đúng các cột: %(expected)s.")
            % {"problems": "; ".join(str(p) for p in problems), "expected": ", ".join(COLUMN_NAMES)}
        )
    dataset = tablib.Dataset(headers=headers)
    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue  # blank lines Excel leaves at the end
        if len(row) > len(headers):
            raise FileProblem(
                _("Dòng %(line)s có %(found)s cột, nhiều hơn dòng tiêu đề (%(expected)s).")
                % {"line": number, "found": len(row), "expected": len(headers)}
            )
        dataset.append(row + [""] * (len(headers) - len(row)))
    if not len(dataset):
        raise FileProblem(_("Tệp chỉ có dòng tiêu đề, không có sản phẩm nào."))
    if len(dataset) > MAX_ROWS:
        raise FileProblem(_("Tệp có hơn %(max)s dòng: hãy chia thành nhiều tệp.") % {"max": MAX_ROWS})
    return dataset


# COLUMNS: how each cell is read (errors in the user's language) and written
# ------------------------------------------------------------------------------
class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if value[:1] == "'" and value[1:2] in FORMULA_STARTS:
            value = value[1:]  # the export's guard against formulas
        return value

    def render(self, value, obj=None, **kwargs):
        value = "" if value is None else str(value)
        return "'" + value if value.startswith(FORMULA_STARTS) else value


def parse_whole_number(value: str, fraction_message, invalid_message):
    """185000, 185.000, 185 000, 185000.00 -> 185000. A separator before exactly 3 digits groups thousands."""
    text = value.replace(" ", "").replace("\u00a0", "").replace("₫", "").replace("đ", "")
    groups = text.replace(",", ".").split(".")
    if len(groups) > 1 and all(len(group) == 3 for group in groups[1:]) and groups[0]:
        text = "".join(groups)
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(invalid_message) from exc
    if not number.is_finite():
        raise ValueError(invalid_message)
    if number != number.to_integral_value():
        raise ValueError(fraction_message)
    return int(number)


class PriceWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        price = parse_whole_number(
            value,
            _("Giá “%(value)s” có phần lẻ: giá là số đồng chẵn.") % {"value": value},
            _("Giá “%(value)s” không phải một số.") % {"value": value},
        )
        if price < 0:
            raise ValueError(_("Giá không được âm."))
        return price

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CountWidget(widgets.Widget):
    def __init__(self, name, minimum=0):
        super().__init__()
        self.name, self.minimum = name, minimum

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        number = parse_whole_number(
            value,
            _("%(name)s “%(value)s” phải là số nguyên.") % {"name": self.name, "value": value},
            _("%(name)s “%(value)s” không phải một số.") % {"name": self.name, "value": value},
        )
        if number < self.minimum:
            if self.minimum == 0:
                raise ValueError(_("%(name)s không được âm.") % {"name": self.name})
            raise ValueError(_("%(name)s phải lớn hơn 0.") % {"name": self.name})
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip().lower()
        if not value:
            return None
        if value in YES:
            return True
        if value in NO:
            return False
        raise ValueError(_("Ghi “có” hoặc “không”, không phải “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("có" if value else "không")


# ONE ROW
# ------------------------------------------------------------------------------
def weight_grams(product):
    """The product's weight in grams, from its prefetched attribute values."""
    for value in product.attribute_values.all():
        if value.attribute.code == WEIGHT_ATTRIBUTE:
            return grams_from_kg(value.value_float)
    return None


def product_queryset(partner):
    """Products with what a row reads prefetched: the partner's stock, categories, weight, parent."""
    return Product.objects.select_related("parent").prefetch_related(
        Prefetch("stockrecords", queryset=StockRecord.objects.filter(partner=partner).order_by("pk"), to_attr="own"),
        Prefetch("attribute_values", queryset=ProductAttributeValue.objects.select_related("attribute")),
        "categories",
    )


class ProductRow:
    """A CSV row as an object django-import-export can load, compare (preview) and save."""

    STANDALONE, PARENT, VARIANT = "standalone", "parent", "variant"

    def __init__(self, product=None, stockrecord=None):
        self.product, self.stockrecord = product, stockrecord
        self.foreign = False
        self.kind = None
        self.parent = None
        self.categories = []
        if product is None:
            self.sku = self.parent_sku = self.title = self.title_en = ""
            self.description = self.description_en = self.category = self.gtin = ""
            self.weight_g = self.price = self.num_in_stock = None
            self.is_public = True
            return
        self.sku = stockrecord.partner_sku if stockrecord else product.upc or ""
        self.parent_sku = (product.parent.upc or "") if product.is_child else ""
        self.title, self.title_en = product.title, product.title_en
        self.description, self.description_en = product.description, product.description_en
        self.category = f" {CATEGORY_SEPARATOR} ".join(c.name for c in product.categories.all())
        self.gtin = product.gtin or ""
        self.weight_g = None if product.is_parent else weight_grams(product)
        self.price = int(stockrecord.price) if stockrecord and stockrecord.price is not None else None
        self.num_in_stock = stockrecord.num_in_stock if stockrecord else None
        self.is_public = product.is_public

    def __str__(self):
        return self.sku


class RowLoader(BaseInstanceLoader):
    """Finds a row's product by SKU among the cooperative's products, or its partner's stock records."""

    def get_instance(self, row):
        return self.resource.find(TextWidget().clean(row.get("sku")))


@dataclass
class ImportContext:
    cooperative: object
    user: object
    partner: object = None
    product_class: object = None
    categories: dict = field(default_factory=dict)
    seen_skus: dict = field(default_factory=dict)
    seen_gtins: dict = field(default_factory=dict)

    def __post_init__(self):
        self.partner = self.cooperative.partner
        self.product_class = ProductClass.objects.order_by("pk").first()
        for category in Category.objects.all():
            self.categories.setdefault(category.slug.lower(), []).append(category)
            self.categories.setdefault(category.name.strip().lower(), []).append(category)


class ProductStockResource(resources.Resource):
    sku = Field(attribute="sku", column_name="sku", widget=TextWidget())
    parent_sku = Field(attribute="parent_sku", column_name="parent_sku", widget=TextWidget())
    title = Field(attribute="title", column_name="title", widget=TextWidget())
    title_en = Field(attribute="title_en", column_name="title_en", widget=TextWidget())
    description = Field(attribute="description", column_name="description", widget=TextWidget())
    description_en = Field(attribute="description_en", column_name="description_en", widget=TextWidget())
    category = Field(attribute="category", column_name="category", widget=TextWidget())
    gtin = Field(attribute="gtin", column_name="gtin", widget=TextWidget())
    weight_g = Field(attribute="weight_g", column_name="weight_g", widget=CountWidget(_("Khối lượng"), minimum=1))
    price = Field(attribute="price", column_name="price", widget=PriceWidget())
    num_in_stock = Field(attribute="num_in_stock", column_name="num_in_stock", widget=CountWidget(_("Tồn kho")))
    # Blank keeps what is there (new products: on sale).
    is_public = Field(attribute="is_public", column_name="is_public", widget=YesNoWidget(), saves_null_values=False)

    class Meta:
        model = Product
        import_id_fields = ["sku"]
        instance_loader_class = RowLoader
        fields = COLUMN_NAMES
        skip_unchanged = True
        report_skipped = True
        store_instance = True
        skip_html_diff = True
        use_transactions = True

    def __init__(self, context: ImportContext | None = None):
        super().__init__()
        self.context = context
        self.row_number = None

    # Loading
    def find(self, sku):
        if not sku:
            return None
        ctx = self.context
        products = product_queryset(ctx.partner)
        product = products.filter(cooperative=ctx.cooperative, upc=sku).first()
        if product is None:
            record = StockRecord.objects.filter(partner=ctx.partner, partner_sku=sku).first()
            product = products.filter(pk=record.product_id).first() if record else None
        if product is None:
            return None
        own = [record for record in product.own if record.partner_sku == sku] or product.own
        row = ProductRow(product, own[0] if own else None)
        # The cooperative's partner may hold stock of another cooperative's product: still not theirs.
        row.foreign = product.cooperative_id != ctx.cooperative.pk
        return row

    def init_instance(self, row=None):
        return ProductRow()

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")

    # Checking
    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for column, message in self.check(instance):
            errors.setdefault(column, []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)

    def check(self, row):
        """(column, message) for everything wrong with `row` in this cooperative; fills in what saving needs."""
        ctx = self.context
        line = self.row_number + 1  # the header is line 1, as Excel numbers rows
        foreign = _("Mã “%(sku)s” thuộc một sản phẩm của hợp tác xã khác: không nhập được ở đây.")
        if not row.sku:
            yield "sku", _("Thiếu mã SKU.")
            return
        if len(row.sku) > 64:
            yield "sku", _("Mã SKU dài quá 64 ký tự.")
        if row.sku in ctx.seen_skus:
            yield "sku", _("Mã SKU trùng với dòng %(line)s.") % {"line": ctx.seen_skus[row.sku]}
        ctx.seen_skus.setdefault(row.sku, line)
        if row.foreign:
            yield "sku", foreign % {"sku": row.sku}
            return
        product = row.product
        if product is None and (
            Product.objects.filter(upc=row.sku).exists()
            or StockRecord.objects.filter(partner_sku=row.sku).exclude(partner=ctx.partner).exists()
        ):
            yield "sku", foreign % {"sku": row.sku}
            return

        # Which kind of row: a variant names its parent; a row without price and stock is a parent.
        if row.parent_sku:
            row.kind = ProductRow.VARIANT
        elif row.price is None and row.num_in_stock is None and (product is None or not product.is_standalone):
            row.kind = ProductRow.PARENT
        else:
            row.kind = ProductRow.STANDALONE
        if product is not None:
            if product.is_child and row.kind != ProductRow.VARIANT:
                yield (
                    "parent_sku",
                    _("Đây là biến thể của “%(parent)s”: ghi SKU sản phẩm cha.") % {"parent": product.parent.upc},
                )
            elif product.is_parent and row.kind == ProductRow.STANDALONE:
                yield "price", _("Sản phẩm này có biến thể: giá và tồn kho ghi ở từng biến thể, ở đây để trống.")
            elif product.is_standalone and row.kind == ProductRow.VARIANT:
                yield "parent_sku", _("Sản phẩm này đang bán riêng, không chuyển thành biến thể bằng tệp được.")

        if row.kind == ProductRow.VARIANT:
            yield from self.check_parent(row, foreign)
            if row.category:
                yield "category", _("Biến thể dùng danh mục của sản phẩm cha: để trống.")
            if not row.title and not row.weight_g:
                yield "title", _("Cần tên biến thể hoặc khối lượng (để đặt tên theo khối lượng).")
        else:
            if not row.title:
                yield "title", _("Thiếu tên sản phẩm.")
            yield from self.check_categories(row)
        if row.kind == ProductRow.PARENT:
            if row.weight_g is not None:
                yield "weight_g", _("Sản phẩm cha không có khối lượng riêng: ghi ở từng biến thể, ở đây để trống.")
        else:
            if row.price is None:
                yield "price", _("Thiếu giá.")
            # A stock record kept without a count (stock not tracked) may stay so; a new one needs it.
            if row.num_in_stock is None and not (row.stockrecord and row.stockrecord.num_in_stock is None):
                yield "num_in_stock", _("Thiếu tồn kho.")
        for column in ("title", "title_en"):
            if len(getattr(row, column)) > 255:
                yield column, _("Dài quá 255 ký tự.")
        yield from self.check_gtin(row, line)
        if product is None and row.kind != ProductRow.VARIANT and ctx.product_class is None:
            yield "sku", _("Cửa hàng chưa có loại sản phẩm nào: nhờ quản trị nền tảng tạo một loại.")

    def check_parent(self, row, foreign):
        parent = Product.objects.filter(upc=row.parent_sku).first()
        if parent is None:
            yield (
                "parent_sku",
                _("Không có sản phẩm cha mã “%(sku)s”. Dòng của sản phẩm cha phải đứng trước các biến thể.")
                % {"sku": row.parent_sku},
            )
        elif parent.cooperative_id != self.context.cooperative.pk:
            yield "parent_sku", foreign % {"sku": row.parent_sku}
        elif parent.is_child:
            yield "parent_sku", _("“%(sku)s” là một biến thể, không làm sản phẩm cha được.") % {"sku": row.parent_sku}
        elif parent.is_standalone and parent.stockrecords.exists():
            yield (
                "parent_sku",
                _(
                    "“%(sku)s” đang có giá và tồn kho riêng nên chưa có biến thể được: để trống giá và tồn kho ở dòng của nó."
                )
                % {"sku": row.parent_sku},
            )
        elif row.product is not None and row.product.parent_id != parent.pk:
            yield "parent_sku", _("Không đổi sản phẩm cha của một biến thể bằng tệp được.")
        else:
            row.parent = parent

    def check_categories(self, row):
        names = [name.strip() for name in row.category.split(CATEGORY_SEPARATOR) if name.strip()]
        if not names:
            yield "category", _("Thiếu danh mục.")
            return
        found = []
        for name in names:
            matches = self.context.categories.get(name.lower(), [])
            if not matches:
                known = sorted({c.name for cats in self.context.categories.values() for c in cats})
                yield (
                    "category",
                    _("Không có danh mục “%(name)s”. Các danh mục: %(known)s.")
                    % {
                        "name": name,
                        "known": ", ".join(known),
                    },
                )
            elif len({c.pk for c in matches}) > 1:
                yield (
                    "category",
                    _("Có nhiều danh mục tên “%(name)s”: ghi đường dẫn (slug) của danh mục.") % {"name": name},
                )
            else:
                found.append(matches[0])
        row.categories = found
        if len(found) == len(names):
            row.category = f" {CATEGORY_SEPARATOR} ".join(c.name for c in found)

    def check_gtin(self, row, line):
        if not row.gtin:
            return
        if "e+" in row.gtin.lower():
            yield (
                "gtin",
                _(
                    "Excel đã đổi GTIN thành dạng số mũ (%(value)s). Định dạng cột gtin là Văn bản (Text) rồi nhập lại số."
                )
                % {"value": row.gtin},
            )
            return
        try:
            row.gtin = normalise_gtin(row.gtin)
        except InvalidIdentifier as exc:
            yield "gtin", str(exc)
            return
        ctx = self.context
        if row.gtin in ctx.seen_gtins:
            yield "gtin", _("GTIN trùng với dòng %(line)s.") % {"line": ctx.seen_gtins[row.gtin]}
        ctx.seen_gtins.setdefault(row.gtin, line)
        if Product.objects.filter(gtin=row.gtin).exclude(pk=getattr(row.product, "pk", None)).exists():
            yield "gtin", _("GTIN này đã dùng cho một sản phẩm khác.")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    # Saving
    def do_instance_save(self, instance, is_create):
        ctx = self.context
        row = instance
        product = row.product or Product(upc=row.sku, cooperative=ctx.cooperative)
        if row.kind == ProductRow.VARIANT:
            parent = row.parent
            if not parent.is_parent:
                parent.structure = Product.PARENT
                parent.save(update_fields=["structure"])
            product.parent, product.structure, product.product_class = parent, Product.CHILD, None
        else:
            product.structure = Product.PARENT if row.kind == ProductRow.PARENT else Product.STANDALONE
            product.product_class = product.product_class or ctx.product_class
        grams = row.weight_g
        weight = f" – {weight_label(grams)}" if grams else ""
        product.title = row.title or (f"{row.parent.title}{weight}" if row.parent else "")
        product.title_en = row.title_en or (
            f"{row.parent.title_en}{weight}" if row.parent and row.parent.title_en and not row.title else ""
        )
        product.description, product.description_en = row.description, row.description_en
        product.gtin = row.gtin or None
        product.is_public = row.is_public
        product.cooperative = ctx.cooperative
        if row.kind != ProductRow.PARENT:
            setattr(product.attr, WEIGHT_ATTRIBUTE, grams / 1000 if grams else None)
        product.save()
        if row.kind != ProductRow.VARIANT:
            wanted = {c.pk for c in row.categories}
            ProductCategory.objects.filter(product=product).exclude(category_id__in=wanted).delete()
            have = set(ProductCategory.objects.filter(product=product).values_list("category_id", flat=True))
            ProductCategory.objects.bulk_create(
                [ProductCategory(product=product, category_id=pk) for pk in wanted - have]
            )
        if row.kind != ProductRow.PARENT:
            record = row.stockrecord or StockRecord(product=product, partner=ctx.partner)
            record.partner_sku = row.sku
            record.price = row.price
            record.num_in_stock = row.num_in_stock
            record.save()
            row.stockrecord = record
        row.product = product


# PREVIEW AND IMPORT
# ------------------------------------------------------------------------------
STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: _("Mới"),
    RowResult.IMPORT_TYPE_UPDATE: _("Cập nhật"),
    RowResult.IMPORT_TYPE_SKIP: _("Không đổi"),
    RowResult.IMPORT_TYPE_INVALID: _("Lỗi"),
    RowResult.IMPORT_TYPE_ERROR: _("Lỗi"),
}


@dataclass
class Cell:
    column: str
    value: str
    old: str = ""
    changed: bool = False


@dataclass
class PreviewRow:
    line: int
    status: str
    cells: list
    errors: list  # (column or "", message)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_error(self):
        return self.status in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR)


@dataclass
class Preview:
    """What an import did (or, in a dry run, would do), row by row."""

    rows: list
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0

    @property
    def has_errors(self):
        return bool(self.failed)

    @property
    def columns(self):
        return COLUMN_NAMES


def _preview(resource, dataset, result) -> Preview:
    preview = Preview(rows=[])
    fields = resource.get_import_fields()
    for number, (values, row_result) in enumerate(zip(dataset, result.rows, strict=True), start=1):
        raw = dict(zip(dataset.headers, values, strict=True))
        status = row_result.import_type
        errors = []
        if row_result.validation_error is not None:
            for column, messages in row_result.validation_error.message_dict.items():
                errors += [(column if column in COLUMN_NAMES else "", message) for message in messages]
        for error in row_result.errors:
            errors.append(("", _("Lỗi không lường trước: %(error)s") % {"error": error.error}))
        cells = []
        for f in fields:
            if status in STATUS_LABELS and status not in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
                value = f.export(row_result.instance)
                old = f.export(row_result.original) if row_result.original is not None else ""
                changed = status == RowResult.IMPORT_TYPE_UPDATE and value != old
            else:
                value, old, changed = raw.get(f.column_name, ""), "", False
            cells.append(Cell(f.column_name, value, old if changed else "", changed))
        preview.rows.append(PreviewRow(line=number + 1, status=status, cells=cells, errors=errors))
        if status == RowResult.IMPORT_TYPE_NEW:
            preview.new += 1
        elif status == RowResult.IMPORT_TYPE_UPDATE:
            preview.updated += 1
        elif status == RowResult.IMPORT_TYPE_SKIP:
            preview.unchanged += 1
        else:
            preview.failed += 1
    for error in result.base_errors:
        preview.failed += 1
        preview.rows.append(
            PreviewRow(line=0, status=RowResult.IMPORT_TYPE_ERROR, cells=[], errors=[("", error.error)])
        )
    return preview


def _import(dataset, cooperative, user, dry_run) -> Preview:
    resource = ProductStockResource(ImportContext(cooperative=cooperative, user=user))
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False
    )
    return _preview(resource, dataset, result)


def preview(dataset, cooperative, user) -> Preview:
    """What importing `dataset` for `cooperative` would change; everything is rolled back."""
    return _import(dataset, cooperative, user, dry_run=True)


def run_import(dataset, cooperative, user) -> Preview:
    """Import `dataset` for `cooperative` in one transaction: every row, or (on any error) none."""
    return _import(dataset, cooperative, user, dry_run=False)


# EXPORT
# ------------------------------------------------------------------------------
def export_rows(queryset, cooperative):
    """The rows of the products in `queryset` (already scoped): each parent followed by its variants."""
    partner_ids = [cooperative.partner_id] if cooperative else None
    records = StockRecord.objects.order_by("pk")
    if partner_ids:
        records = records.filter(partner_id__in=partner_ids)
    prefetch = [
        Prefetch("stockrecords", queryset=records, to_attr="own"),
        Prefetch("attribute_values", queryset=ProductAttributeValue.objects.select_related("attribute")),
        "categories",
    ]
    children = Product.objects.filter(pk__in=queryset.values("pk")).order_by("pk").prefetch_related(*prefetch)
    products = (
        queryset.exclude(structure=Product.CHILD)
        .select_related("parent")
        .prefetch_related(*prefetch, Prefetch("children", queryset=children, to_attr="export_children"))
        .order_by("title", "pk")
    )
    for product in products:
        yield ProductRow(product, product.own[0] if product.own else None)
        for child in product.export_children:
            child.parent = product
            yield ProductRow(child, child.own[0] if child.own else None)


def export_csv(queryset, cooperative) -> str:
    """CSV text (with the BOM Excel needs to read UTF-8) of the products in `queryset`, in the import's columns."""
    dataset = ProductStockResource().export(list(export_rows(queryset, cooperative)))
    return "\ufeff" + dataset.csv
