"""Product page additions, cooperative, zone and certificate pages."""

import json
import re

import pytest
from django.utils import timezone

from catalog.models import Certification, Cooperative, Lot, RawMaterialZone

pytestmark = pytest.mark.django_db


def jsonld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_product_page_shows_ocop_certificates_zones_and_traceability(client, demo_lot):
    product = demo_lot.product
    html = client.get(product.get_absolute_url()).content.decode()
    assert "OCOP 4 sao" in html
    assert "DEMO-001/QĐ-UBND" in html  # decision number
    assert "Hữu cơ EU" in html and "cert-status--valid" in html
    assert "cert-status--expired" in html  # the claimed processing certificate expired: shown as such
    assert "Vùng điều hữu cơ Bù Lư (mẫu)" in html
    assert f"/truy-xuat/san-pham/{product.pk}/" in html


def test_product_jsonld(client, demo_lot):
    product = demo_lot.product
    data = jsonld(client.get(product.get_absolute_url()).content.decode())
    assert data["@type"] == "Product"
    assert data["gtin14"] == product.gtin
    assert data["brand"]["name"] == "HTX Nông nghiệp Bù Gia Mập"
    assert data["manufacturer"]["@type"] == "Organization"
    assert data["offers"] == {
        "@type": "Offer",
        "price": "185000",
        "priceCurrency": "VND",
        "availability": "https://schema.org/InStock",
        "url": "http://testserver" + product.get_absolute_url(),
    }
    kinds = {c["name"]: c for c in data["hasCertification"]}
    assert kinds["OCOP"]["certificationRating"]["ratingValue"] == 4
    assert kinds["Hữu cơ EU"]["certificationStatus"] == "CertificationActive"
    assert kinds["Hữu cơ Việt Nam (TCVN 11041)"]["certificationStatus"] == "CertificationInactive"


def test_product_jsonld_in_english(client, demo_lot):
    product = demo_lot.product
    data = jsonld(client.get("/en" + product.get_absolute_url()).content.decode())
    assert data["name"] == product.title_en


def test_product_trace_page_lists_public_lots(client, demo_lot):
    html = client.get(f"/truy-xuat/san-pham/{demo_lot.product.pk}/").content.decode()
    for lot in Lot.objects.public().filter(product=demo_lot.product):
        assert lot.code in html


def test_cooperative_page(client):
    cooperative = Cooperative.objects.get(partner__code="bugiamap")
    html = client.get(cooperative.get_absolute_url()).content.decode()
    assert "136" in html and "nongsanviet.nongnghiepmoitruong.vn" in html  # a figure with its source
    assert "nguồn không ghi ngày" in html  # and honest about its date
    assert "trước 1/7/2025" in html  # address in pre-2025 units
    assert "DEMO-BGM-V01" in html and "DEMO-VG-BGM-0002" in html
    assert "cert-status--expiring" in html and "cert-status--expired" in html


def test_cooperative_without_public_figures_shows_samples(client):
    cooperative = Cooperative.objects.get(partner__code="huucodongnai")
    html = client.get(cooperative.get_absolute_url()).content.decode()
    assert html.count("số liệu mẫu") >= 3
    assert "cert-status--suspended" in html


def test_zone_page(client):
    zone = RawMaterialZone.objects.get(code="DEMO-BGM-V01")
    html = client.get(zone.get_absolute_url()).content.decode()
    assert "DEMO-EU-BGM-0001" in html and "Hữu cơ" in html
    assert 'data-lat="12.05" data-lon="107.02"' in html


def test_certificate_page_shows_the_document_hash(client):
    cert = Certification.objects.get(number="DEMO-VG-BGM-0002")
    html = client.get(cert.get_absolute_url()).content.decode()
    assert cert.document_sha256 in html and len(cert.document_sha256) == 64
    assert "Sắp hết hạn" in html
    assert timezone.localdate().strftime("%Y") in html


def test_trace_pages_in_english(client):
    cooperative = Cooperative.objects.get(partner__code="bugiamap")
    response = client.get("/en" + cooperative.get_absolute_url())
    assert response.status_code == 200
    assert "Bù Gia Mập Agricultural Cooperative" in response.content.decode()


def test_vocabulary_page_has_an_anchor_per_step(client):
    html = client.get("/truy-xuat/tu-vung/").content.decode()
    for step in ("harvest", "drying", "steaming", "shelling", "roasting_salting"):
        assert f'id="{step}"' in html


def test_trace_slug_is_reserved_for_the_shop():
    from cms.models import reserved_slug

    assert reserved_slug("truy-xuat")


def test_product_page_survives_an_upload_that_is_not_an_image(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from oscar.core.loading import get_model

    from tests.factories import create_product

    product = create_product(title="Hạt điều ảnh hỏng")
    get_model("catalogue", "ProductImage").objects.create(
        product=product, original=SimpleUploadedFile("hong.jpg", b"not a picture", content_type="image/jpeg")
    )
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "Hạt điều ảnh hỏng" in response.content.decode()
