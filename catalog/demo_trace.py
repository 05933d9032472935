"""Sample traceability data for the demo: cooperatives, zones, certificates, OCOP ratings, lots, events.

The two cooperatives are real; the only figures given as facts are Bù Gia Mập's published ones, each
with its source. Everything else is a sample: zone, certificate, decision and lot codes start with
DEMO-, certifying bodies are "sample bodies", and dates are set relative to the day of seeding so the
demo always shows a valid, an expiring, an expired and a suspended certificate. Idempotent.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from biip.checksums import gs1_standard_check_digit
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.signal_handlers import disable_reference_index_auto_update

from catalog import scoping
from catalog.models import (
    OCOP_VALIDITY_MONTHS,
    AdministrativeUnits,
    Certification,
    Cooperative,
    CooperativeFigure,
    Lot,
    OcopRating,
    RawMaterialZone,
    TraceEvent,
    add_months,
)

Kind = Certification.Kind
Step = TraceEvent.Step
Figure = CooperativeFigure.Kind
Farming = RawMaterialZone.FarmingStatus
VN = timezone.get_fixed_timezone(7 * 60)

BGM_SOURCE = "Báo Nông nghiệp và Môi trường, “Trồng điều hữu cơ theo tiêu chuẩn Organic”"
BGM_SOURCE_URL = "https://nongsanviet.nongnghiepmoitruong.vn/trong-dieu-huu-co-theo-tieu-chuan-organic-d238997.html"
SAMPLE_SOURCE = "Số liệu mẫu để trình diễn"
SAMPLE_SOURCE_EN = "Sample figure for the demo"

COOPERATIVES = {
    "bugiamap": {
        "slug": "bu-gia-map",
        "name": "HTX Nông nghiệp Bù Gia Mập",
        "name_en": "Bù Gia Mập Agricultural Cooperative",
        "founded_on": date(2016, 8, 22),
        "address": "Thôn Bù Lư, xã Bù Gia Mập, huyện Bù Gia Mập, tỉnh Bình Phước",
        "address_units": AdministrativeUnits.BEFORE_2025,
        "description": (
            "Hợp tác xã ở vùng biên giới, phần lớn xã viên là đồng bào dân tộc thiểu số, trồng điều theo tiêu chuẩn "
            "hữu cơ. Vùng nguyên liệu, chứng nhận và lô hàng trên trang này là dữ liệu mẫu."
        ),
        "description_en": (
            "A cooperative in the border area whose members are mostly from ethnic minorities, growing cashews to "
            "organic standards. Zones, certificates and lots on this page are sample data."
        ),
        "email": "bugiamap@example.org",
    },
    "huucodongnai": {
        "slug": "huu-co-dong-nai",
        "name": "HTX Nông nghiệp hữu cơ Đồng Nai",
        "name_en": "Đồng Nai Organic Agricultural Cooperative",
        "founded_on": None,  # not published; nothing invented
        "address": "Tỉnh Đồng Nai",
        "address_units": AdministrativeUnits.FROM_2025,
        "description": (
            "Chưa có số liệu công khai về hợp tác xã này: mọi số liệu, vùng, chứng nhận và lô hàng trên trang là dữ liệu mẫu."
        ),
        "description_en": (
            "No public figures about this cooperative were found: every figure, zone, certificate and lot on this "
            "page is sample data."
        ),
        "email": "huucodongnai@example.org",
    },
}

# (kind, value, value_en, as_of, source, source_url, is_sample). The article gives no date for its figures.
FIGURES = {
    "bugiamap": [
        (Figure.MEMBERS, "136", "136", None, BGM_SOURCE, BGM_SOURCE_URL, False),
        (Figure.CASHEW_AREA, "gần 544", "almost 544", None, BGM_SOURCE, BGM_SOURCE_URL, False),
        (Figure.ORGANIC_AREA, "495", "495", None, BGM_SOURCE, BGM_SOURCE_URL, False),
        (Figure.ETHNIC_MINORITY_SHARE, "khoảng 85%", "about 85%", None, BGM_SOURCE, BGM_SOURCE_URL, False),
    ],
    "huucodongnai": [
        (Figure.MEMBERS, "40", "40", date(2026, 1, 1), SAMPLE_SOURCE, "", True),
        (Figure.CASHEW_AREA, "150", "150", date(2026, 1, 1), SAMPLE_SOURCE, "", True),
        (Figure.ORGANIC_AREA, "90", "90", date(2026, 1, 1), SAMPLE_SOURCE, "", True),
    ],
}

SAMPLE_ZONE = "Vùng mẫu để trình diễn: diện tích, số hộ và toạ độ là số liệu mẫu."
SAMPLE_ZONE_EN = "A sample zone for the demo: area, households and coordinates are sample figures."


@dataclass(frozen=True)
class DemoZone:
    code: str
    partner: str
    name: str
    name_en: str
    commune: str
    province: str
    units: str
    area_ha: str
    lat: str
    lon: str
    farming: str
    households: int


ZONES = [
    DemoZone(
        "DEMO-BGM-V01",
        "bugiamap",
        "Vùng điều hữu cơ Bù Lư (mẫu)",
        "Bù Lư organic cashew zone (sample)",
        "xã Bù Gia Mập",
        "Bình Phước",
        AdministrativeUnits.BEFORE_2025,
        "120.5",
        "12.05",
        "107.02",
        Farming.ORGANIC,
        28,
    ),
    DemoZone(
        "DEMO-BGM-V02",
        "bugiamap",
        "Vùng điều VietGAP khu B (mẫu)",
        "Zone B VietGAP cashews (sample)",
        "xã Bù Gia Mập",
        "Bình Phước",
        AdministrativeUnits.BEFORE_2025,
        "86",
        "12.09",
        "106.97",
        Farming.CONVENTIONAL,
        19,
    ),
    DemoZone(
        "DEMO-BGM-V03",
        "bugiamap",
        "Vùng đang chuyển đổi hữu cơ khu C (mẫu)",
        "Zone C in conversion (sample)",
        "xã Bù Gia Mập",
        "Bình Phước",
        AdministrativeUnits.BEFORE_2025,
        "42.3",
        "12.01",
        "107.06",
        Farming.IN_CONVERSION,
        11,
    ),
    DemoZone(
        "DEMO-HCDN-V01",
        "huucodongnai",
        "Vùng điều hữu cơ A (mẫu)",
        "Organic cashew zone A (sample)",
        "xã mẫu A",
        "Đồng Nai",
        AdministrativeUnits.FROM_2025,
        "90",
        "11.71",
        "106.88",
        Farming.ORGANIC,
        22,
    ),
    DemoZone(
        "DEMO-HCDN-V02",
        "huucodongnai",
        "Vùng đang chuyển đổi hữu cơ B (mẫu)",
        "Zone B in conversion (sample)",
        "xã mẫu B",
        "Đồng Nai",
        AdministrativeUnits.FROM_2025,
        "60",
        "11.64",
        "106.95",
        Farming.IN_CONVERSION,
        15,
    ),
]

BODY_A = "Tổ chức chứng nhận mẫu A (DEMO)"
BODY_B = "Tổ chức chứng nhận mẫu B (DEMO)"


@dataclass(frozen=True)
class DemoCertificate:
    number: str
    kind: str
    partner: str
    zone: str | None
    standard: str
    body: str
    issued_days_ago: int
    expires_in_days: int | None  # None: no expiry date (USDA organic: annual inspection)
    suspended_days_ago: int | None = None
    scope: str = ""
    scope_en: str = ""


CERTIFICATES = [
    DemoCertificate(
        "DEMO-EU-BGM-0001",
        Kind.ORGANIC_EU,
        "bugiamap",
        "DEMO-BGM-V01",
        "EU 2018/848",
        BODY_A,
        400,
        330,
        scope="Hạt điều thô từ vùng hữu cơ Bù Lư (mẫu)",
        scope_en="Raw cashew nuts from the Bù Lư organic zone (sample)",
    ),
    DemoCertificate(
        "DEMO-NOP-BGM-0001",
        Kind.ORGANIC_USDA,
        "bugiamap",
        "DEMO-BGM-V01",
        "USDA NOP",
        BODY_A,
        400,
        None,
        scope="Hạt điều thô (mẫu)",
        scope_en="Raw cashew nuts (sample)",
    ),
    # Expiring soon: within the 60-day warning window.
    DemoCertificate(
        "DEMO-VG-BGM-0002",
        Kind.VIETGAP,
        "bugiamap",
        "DEMO-BGM-V02",
        "TCVN 11892-1:2017",
        BODY_B,
        700,
        30,
        scope="Trồng trọt: cây điều (mẫu)",
        scope_en="Crop production: cashew (sample)",
    ),
    # Expired: held by the cooperative for its processing.
    DemoCertificate(
        "DEMO-HC-BGM-0003",
        Kind.ORGANIC_VN,
        "bugiamap",
        None,
        "TCVN 11041-2:2017",
        BODY_B,
        800,
        -20,
        scope="Sơ chế và chế biến hạt điều hữu cơ (mẫu)",
        scope_en="Processing of organic cashews (sample)",
    ),
    DemoCertificate(
        "DEMO-HC-HCDN-0001",
        Kind.ORGANIC_VN,
        "huucodongnai",
        "DEMO-HCDN-V01",
        "TCVN 11041-2:2017",
        BODY_B,
        400,
        400,
        scope="Hạt điều thô hữu cơ (mẫu)",
        scope_en="Organic raw cashew nuts (sample)",
    ),
    DemoCertificate(
        "DEMO-EU-HCDN-0001", Kind.ORGANIC_EU, "huucodongnai", "DEMO-HCDN-V01", "EU 2018/848", BODY_A, 400, 250
    ),
    # Suspended pending re-inspection.
    DemoCertificate(
        "DEMO-VG-HCDN-0002",
        Kind.VIETGAP,
        "huucodongnai",
        "DEMO-HCDN-V02",
        "TCVN 11892-1:2017",
        BODY_B,
        400,
        300,
        suspended_days_ago=10,
    ),
]

# Per product SKU: origin zones, OCOP stars and how old the decision is (days), claimed certificates.
# GTINs use GS1 prefix 200 ("restricted circulation numbers", never assigned to a company), so these
# sample GTINs cannot pass as registered ones; the check digit is a real mod-10 one.
TRACE = {
    "DEMO-BGM-RM-500": (["DEMO-BGM-V01"], 4, 400, ["DEMO-EU-BGM-0001", "DEMO-NOP-BGM-0001", "DEMO-HC-BGM-0003"]),
    "DEMO-BGM-VL-500": (["DEMO-BGM-V01"], 4, 380, ["DEMO-EU-BGM-0001"]),
    "DEMO-BGM-W240-500": (["DEMO-BGM-V02"], 3, 500, ["DEMO-VG-BGM-0002"]),
    "DEMO-BGM-W320-1K": (["DEMO-BGM-V02"], None, None, ["DEMO-VG-BGM-0002"]),
    # An OCOP decision older than 36 months: shown as expired.
    "DEMO-BGM-TO-250": (["DEMO-BGM-V03"], 3, 36 * 31, []),
    "DEMO-BGM-HQ-2X500": (["DEMO-BGM-V01"], None, None, ["DEMO-EU-BGM-0001"]),
    "DEMO-BGM-HC-250": (["DEMO-BGM-V01"], 3, 250, ["DEMO-EU-BGM-0001", "DEMO-NOP-BGM-0001"]),
    "DEMO-HCDN-RM-500": (["DEMO-HCDN-V01"], 4, 300, ["DEMO-HC-HCDN-0001", "DEMO-EU-HCDN-0001"]),
    "DEMO-HCDN-VL-250": (["DEMO-HCDN-V01"], 3, 200, ["DEMO-HC-HCDN-0001"]),
    "DEMO-HCDN-W180-500": (["DEMO-HCDN-V01"], 3, 600, ["DEMO-HC-HCDN-0001"]),
    "DEMO-HCDN-LP-1K": (["DEMO-HCDN-V02"], None, None, ["DEMO-VG-HCDN-0002"]),
    # An OCOP decision that ends in about 40 days: shown as expiring.
    "DEMO-HCDN-MO-250": (["DEMO-HCDN-V01"], 3, 36 * 30 - 30, ["DEMO-HC-HCDN-0001"]),
    "DEMO-HCDN-BO-250": (["DEMO-HCDN-V01"], None, None, ["DEMO-HC-HCDN-0001"]),
    "DEMO-HCDN-HQ-TET": (["DEMO-HCDN-V01"], None, None, ["DEMO-HC-HCDN-0001", "DEMO-EU-HCDN-0001"]),
}
# Gift boxes are packed from lots of another product (one step back in the timeline).
GIFT_INPUTS = {"DEMO-BGM-HQ-2X500": "DEMO-BGM-RM-500", "DEMO-HCDN-HQ-TET": "DEMO-HCDN-RM-500"}
# (lot suffix, days between harvest and today)
# Relative to the seeding day so every certificate was in force at its events and best-before dates
# stay ahead; the harvest month can therefore fall outside the real February-May season.
LOT_SEASONS = [("A", 330), ("B", 150)]
RECALLED = ("DEMO-BGM-TO-250", "A")
ON_HOLD = ("DEMO-HCDN-MO-250", "B")
# (step, day after harvest, hour, minute): the full chain for a roasted product.
CHAIN = [
    (Step.HARVEST, 0, 7, 30),
    (Step.DRYING, 3, 14, 0),
    (Step.STEAMING, 20, 7, 0),
    (Step.SHELLING, 20, 13, 30),
    (Step.KERNEL_DRYING, 21, 8, 0),
    (Step.PEELING, 22, 8, 30),
    (Step.GRADING, 23, 9, 0),
    (Step.ROASTING_SALTING, 30, 8, 0),
    (Step.QC, 30, 15, 0),
    (Step.PACKING, 31, 9, 0),
    (Step.SHIPPING, 35, 6, 30),
]
GIFT_CHAIN = [(Step.QC, 36, 9, 0), (Step.PACKING, 37, 9, 0), (Step.SHIPPING, 40, 6, 30)]
PHOTO_STEPS = {Step.HARVEST, Step.DRYING, Step.SHELLING, Step.GRADING, Step.ROASTING_SALTING, Step.PACKING}
PROCESSING = "Xưởng chế biến của hợp tác xã (mẫu)"
PROCESSING_EN = "The cooperative's processing workshop (sample)"
NOTES = {
    Step.HARVEST: (
        "Nhặt hạt điều chín rụng, tách khỏi trái.",
        "Ripe fallen nuts collected and separated from the apples.",
    ),
    Step.DRYING: ("Phơi nắng đến độ ẩm ≤ 9% (đo mẫu: 8,6%).", "Sun-dried to ≤ 9% moisture (sample reading: 8.6%)."),
    Step.STEAMING: ("Hấp hơi nước để vỏ dễ tách.", "Steamed so the shells open cleanly."),
    Step.SHELLING: ("Tách vỏ cứng bằng máy bán tự động.", "Shells removed on semi-automatic cutters."),
    Step.KERNEL_DRYING: ("Sấy nhân để bóc vỏ lụa.", "Kernels dried before peeling."),
    Step.PEELING: ("Bóc vỏ lụa.", "Testa peeled off."),
    Step.GRADING: ("Phân loại theo TCVN 4850:2010.", "Graded to TCVN 4850:2010."),
    Step.ROASTING_SALTING: (
        "Rang và tẩm muối theo công thức của hợp tác xã.",
        "Roasted and salted to the cooperative's recipe.",
    ),
    Step.QC: (
        "Kiểm tra cảm quan, độ ẩm và tạp chất (phiếu mẫu).",
        "Sensory, moisture and foreign-matter checks (sample report).",
    ),
    Step.PACKING: ("Đóng túi, in mã lô và hạn sử dụng.", "Bagged; lot code and best-before printed."),
    Step.SHIPPING: ("Chuyển đến kho của cửa hàng.", "Shipped to the shop's warehouse."),
}


def sample_gtin(partner_code: str, index: int) -> str:
    """A GTIN-14 with GS1 prefix 200 (restricted circulation), unique per demo product."""
    payload = f"200{1 if partner_code == 'bugiamap' else 2}{index:08d}"
    return "0" + payload + str(gs1_standard_check_digit(payload))


def _sample_pdf(title: str) -> bytes:
    """A one-page PDF that says plainly it is not a real certificate (drawn with PIL, ASCII only)."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((60, 60, 1180, 1694), outline="#6b3d12", width=6)
    draw.text((120, 160), "DEMO - SAMPLE DOCUMENT - NOT A REAL CERTIFICATE", fill="#a4161a", font_size=40)
    draw.text((120, 260), title, fill="black", font_size=36)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF")
    return buffer.getvalue()


def _sample_photo(step: str) -> bytes:
    rng = random.Random(step)
    img = Image.new("RGB", (960, 640), "#e9dcc0")
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rng.randint(0, 900), rng.randint(0, 560)
        draw.ellipse(
            (x, y, x + rng.randint(30, 70), y + rng.randint(20, 40)), fill=rng.choice(["#b5763a", "#e8cf9c", "#8a5a2b"])
        )
    draw.rectangle((0, 560, 960, 640), fill="#4a2a0c")
    draw.text((24, 580), f"DEMO - sample photo: {step}", fill="#fbf3e2", font_size=36)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _photos(cooperative) -> dict:
    """The cooperative's sample event photos, in its media collection (its staff choose among these)."""
    Image_ = get_image_model()
    collection = scoping.media_collection(cooperative)
    photos = {}
    for step in PHOTO_STEPS:
        title = f"DEMO ảnh minh hoạ: {Step(step).label} · {cooperative.name}"
        photo = Image_.objects.filter(title=title).first()
        if photo is None:
            photo = Image_(
                title=title,
                collection=collection,
                file=ImageFile(io.BytesIO(_sample_photo(step)), name=f"demo-{cooperative.slug}-{step}.jpg"),
            )
            photo.save()
        photos[step] = photo
    return photos


def _qc_report(cooperative):
    Document = get_document_model()
    title = f"DEMO phiếu kiểm nghiệm mẫu · {cooperative.name}"
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, collection=scoping.media_collection(cooperative))
        document.file.save(
            f"demo-qc-report-{cooperative.slug}.pdf", ContentFile(_sample_pdf("Sample QC report")), save=False
        )
        document.save()
    return document


def at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def seed_traceability(partners: dict, products: dict, log) -> None:
    """Create or update the traceability demo: `products` maps SKU to Product (in PRODUCTS order).

    Wagtail's reference index ("usage" in the admin) is not updated for these hundreds of sample
    saves; it would triple the seeding time.
    """
    with disable_reference_index_auto_update():
        _seed(partners, products, log)


def _seed(partners, products, log):
    today = timezone.localdate()
    cooperatives = {}
    for code, fields in COOPERATIVES.items():
        cooperatives[code], _ = Cooperative.objects.update_or_create(partner=partners[code], defaults=fields)
        for order, (kind, value, value_en, as_of, source, url, sample) in enumerate(FIGURES[code]):
            CooperativeFigure.objects.update_or_create(
                cooperative=cooperatives[code],
                kind=kind,
                defaults={
                    "value": value,
                    "value_en": value_en,
                    "as_of": as_of,
                    "source": source,
                    "source_url": url,
                    "is_sample": sample,
                    "sort_order": order,
                },
            )
    zones = {}
    for z in ZONES:
        zones[z.code], _ = RawMaterialZone.objects.update_or_create(
            code=z.code,
            defaults={
                "cooperative": cooperatives[z.partner],
                "name": z.name,
                "name_en": z.name_en,
                "commune": z.commune,
                "province": z.province,
                "address_units": z.units,
                "area_ha": Decimal(z.area_ha),
                "latitude": Decimal(z.lat),
                "longitude": Decimal(z.lon),
                "farming_status": z.farming,
                "households": z.households,
                "description": SAMPLE_ZONE,
                "description_en": SAMPLE_ZONE_EN,
            },
        )
    certificates = {}
    for c in CERTIFICATES:
        issued = today - timedelta(days=c.issued_days_ago)
        cert, _ = Certification.objects.update_or_create(
            number=c.number,
            defaults={
                "kind": c.kind,
                "cooperative": cooperatives[c.partner],
                "zone": zones.get(c.zone),
                "standard": c.standard,
                "certifying_body": c.body,
                "scope": c.scope,
                "scope_en": c.scope_en,
                "issued_on": issued,
                "valid_from": issued,
                "expires_on": today + timedelta(days=c.expires_in_days) if c.expires_in_days is not None else None,
                "suspended_from": today - timedelta(days=c.suspended_days_ago) if c.suspended_days_ago else None,
                "status_note": "Mẫu: đình chỉ trong thời gian đánh giá lại." if c.suspended_days_ago else "",
                "status_note_en": "Sample: suspended pending re-inspection." if c.suspended_days_ago else "",
            },
        )
        _attach_document(cert, c.number)
        certificates[c.number] = cert
    log(f"  {len(cooperatives)} cooperative records, {len(zones)} zones, {len(certificates)} certificates")

    numbers = {sku: index for index, sku in enumerate(products, start=1)}
    ratings = 0
    for sku, product in products.items():
        index = numbers[sku]
        zone_codes, stars, decided_days_ago, claims = TRACE[sku]
        partner = product.stockrecords.first().partner.code
        product.cooperative = cooperatives[partner]
        product.gtin = sample_gtin(partner, index)
        product.save()
        product.origin_zones.set([zones[code] for code in zone_codes])
        product.certifications.set([certificates[number] for number in claims])
        if stars:
            decided = today - timedelta(days=decided_days_ago)
            authority = (
                "UBND tỉnh Bình Phước (dữ liệu mẫu)" if partner == "bugiamap" else "UBND tỉnh Đồng Nai (dữ liệu mẫu)"
            )
            rating, _ = OcopRating.objects.update_or_create(
                number=f"DEMO-{index:03d}/QĐ-UBND",
                defaults={
                    "product": product,
                    "cooperative": cooperatives[partner],
                    "stars": stars,
                    "certifying_body": authority,
                    "issued_on": decided,
                    "valid_from": decided,
                    "expires_on": add_months(decided, OCOP_VALIDITY_MONTHS),
                    "scope": "Sản phẩm OCOP (dữ liệu mẫu)",
                    "scope_en": "OCOP product (sample data)",
                },
            )
            _attach_document(rating, rating.number)
            ratings += 1
    log(f"  GTINs (GS1 prefix 200) and {ratings} OCOP ratings")

    media = {c.pk: (_photos(c), _qc_report(c)) for c in cooperatives.values()}
    lots = {}
    # Plain products first, so the gift boxes can use their lots as inputs.
    ordered = sorted(products.items(), key=lambda item: item[0] in GIFT_INPUTS)
    for sku, product in ordered:
        for suffix, days_ago in LOT_SEASONS:
            code = f"DEMO-{'BGM' if sku.startswith('DEMO-BGM') else 'HCDN'}{numbers[sku]:02d}-{suffix}"
            harvest = today - timedelta(days=days_ago)
            lots[(sku, suffix)] = _seed_lot(
                product, sku, code, suffix, harvest, zones, certificates, lots, *media[product.cooperative_id]
            )
    events = TraceEvent.objects.filter(lot__in=[lot.pk for lot in lots.values()]).count()
    log(f"  {len(lots)} lots with {events} trace events (one recalled, one on hold)")


def _attach_document(certificate, title):
    if not certificate.document:
        certificate.document.save(f"{slugify(title)}.pdf", ContentFile(_sample_pdf(title)), save=True)


def _seed_lot(product, sku, code, suffix, harvest, zones, certificates, lots, photos, report):
    cooperative = product.cooperative
    category = product.categories.values_list("slug", flat=True).first() or ""
    source = GIFT_INPUTS.get(sku)
    inputs = [lots[(source, suffix)]] if source else []
    chain = (
        GIFT_CHAIN
        if source
        else [
            step
            for step in CHAIN
            if not (step[0] == Step.PEELING and category == "dieu-rang-muoi-vo-lua")
            and not (step[0] == Step.ROASTING_SALTING and category == "dieu-nhan")
        ]
    )
    lot_zones = list(inputs[0].zones.all()) if inputs else list(product.origin_zones.all())
    packing_day = harvest + timedelta(days=[d for s, d, *_ in chain if s == Step.PACKING][0])
    status, note, note_en = Lot.Status.RELEASED, "", ""
    if (sku, suffix) == RECALLED:
        status = Lot.Status.RECALLED
        note = "Mẫu: thu hồi vì độ ẩm khi kiểm tra lại vượt ngưỡng cho phép."
        note_en = "Sample: recalled because a re-check found moisture above the limit."
    elif (sku, suffix) == ON_HOLD:
        status, note, note_en = Lot.Status.ON_HOLD, "Mẫu: chờ kết quả kiểm nghiệm.", "Sample: awaiting lab results."
    lot, _ = Lot.objects.update_or_create(
        product=product,
        code=code,
        defaults={
            "harvest_date": harvest,
            "production_date": harvest + timedelta(days=20),
            "packing_date": packing_day,
            "best_before": add_months(packing_day, 12),
            "quantity": Decimal(120 + (int(product.gtin[-3:]) * 37) % 400),
            "unit": Lot.Unit.BOX if sku in GIFT_INPUTS else Lot.Unit.BAG,
            "status": status,
            "status_note": note,
            "status_note_en": note_en,
            "is_public": True,
        },
    )
    lot.zones.set(lot_zones)
    lot.save()
    zone = lot_zones[0] if lot_zones else None
    zone_certs = [c for c in certificates.values() if zone and c.zone_id == zone.pk]
    workshop_certs = [c for c in certificates.values() if c.cooperative_id == cooperative.pk and not c.zone_id]
    existing = {event.step: event for event in lot.events.all()}
    steps = []
    for step, day, hour, minute in chain:
        steps.append(step)
        on_farm = step in (Step.HARVEST, Step.DRYING)
        event = existing.get(step) or TraceEvent(lot=lot, step=step)
        event.occurred_at = at(harvest + timedelta(days=day), hour, minute)
        event.time_zone_offset = "+07:00"
        event.zone = zone if on_farm else None
        event.place = zone.get_name() if on_farm and zone else PROCESSING
        event.place_en = zone.name_en if on_farm and zone else PROCESSING_EN
        event.actor = "Tổ thu hoạch của xã viên (mẫu)" if on_farm else "Tổ chế biến của hợp tác xã (mẫu)"
        event.photo = photos.get(step)
        event.document = report if step == Step.QC else None
        event.notes, event.notes_en = NOTES[step]
        # Parental M2M values are written by the one save() below.
        event.certifications.set(zone_certs if on_farm else workshop_certs)
        event.input_lots.set(inputs if step == Step.PACKING else [])
        event.save()
    lot.events.exclude(step__in=steps).delete()
    return lot
