"""Fixtures for traceability tests: small builders on top of the demo data seeded once per session."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from catalog.models import Certification, Lot, RawMaterialZone, TraceEvent

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
VN = timezone.get_fixed_timezone(7 * 60)


@pytest.fixture
def demo_lot():
    """A released demo lot with the full chain (harvest to shipping)."""
    return Lot.objects.select_related("product").get(code="DEMO-BGM01-A")


@pytest.fixture
def make_product(bgm):
    def make(gtin, title="Hạt điều thử truy xuất", **kwargs):
        product_class, _ = ProductClass.objects.get_or_create(name="Hạt điều")
        return Product.objects.create(
            title=title, upc=f"TEST-{gtin}", product_class=product_class, cooperative=bgm, gtin=gtin, **kwargs
        )

    return make


@pytest.fixture
def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#b5763a").save(buffer, format="JPEG")
    image = get_image_model()(title="Ảnh thử", file=ImageFile(buffer, name="test-photo.jpg"))
    image.save()
    return image


@pytest.fixture
def document():
    doc = get_document_model()(title="Phiếu thử")
    doc.file.save("test-report.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    doc.save()
    return doc


@pytest.fixture
def make_lot(bgm, photo, document):
    """A lot of `product` with `n` events, each with a certificate, a photo, a document and an input lot."""
    zone = RawMaterialZone.objects.filter(cooperative=bgm).first()
    cert = Certification.objects.filter(cooperative=bgm, zone=zone).first()

    def make(product, code, n, input_lot=None):
        lot = Lot(product=product, code=code, best_before=timezone.localdate() + timedelta(days=200))
        lot.save()
        lot.zones.set([zone])
        lot.save()
        start = datetime(2025, 3, 1, 7, 0, tzinfo=VN)
        steps = TraceEvent.Step.values
        for i in range(n):
            event = TraceEvent(
                lot=lot,
                step=steps[i % len(steps)],
                occurred_at=start + timedelta(hours=i),
                zone=zone,
                place="Xưởng thử",
                actor="Tổ thử",
                photo=photo,
                document=document,
                notes=f"Sự kiện {i}",
            )
            event.save()
            event.certifications.set([cert])
            if input_lot is not None:
                event.input_lots.set([input_lot])
            event.save()
        return lot

    return make
