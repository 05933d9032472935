"""QR codes decoded by a real decoder (zxing-cpp) carry the lot's and the product's Digital Link."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

pytestmark = pytest.mark.django_db


def decode(image):
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def rasterise_segno_svg(svg: bytes, pixels_per_module=8) -> Image.Image:
    """Draw the SVG as served: segno writes one path of horizontal unit-height strokes."""
    root = ET.fromstring(svg)
    _x, _y, width, _h = (float(v) for v in root.get("viewBox").split())
    path = root.find("{http://www.w3.org/2000/svg}path")
    scale = float(re.search(r"scale\(([\d.]+)\)", path.get("transform")).group(1))
    modules = int(width / scale)
    image = Image.new("L", (modules * pixels_per_module,) * 2, 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.get("d")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a horizontal run of dark modules on row int(y)
            length = float(a) if command == "h" else float(a) - x
            top = int(y - 0.5) * pixels_per_module
            draw.rectangle(
                (x * pixels_per_module, top, (x + length) * pixels_per_module - 1, top + pixels_per_module - 1), fill=0
            )
            x += length
    return image


def test_lot_qr_png_decodes_to_the_digital_link(client, demo_lot, settings):
    response = client.get(f"/truy-xuat/lo/{demo_lot.pk}/qr.png")
    assert response["Content-Type"] == "image/png"
    text = decode(Image.open(io.BytesIO(response.content)))
    assert text == f"{settings.GS1_RESOLVER_BASE}/01/{demo_lot.product.gtin}/10/{demo_lot.code}"
    assert text == demo_lot.digital_link


def test_lot_qr_svg_decodes_to_the_digital_link(client, demo_lot):
    response = client.get(f"/truy-xuat/lo/{demo_lot.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert decode(rasterise_segno_svg(response.content)) == demo_lot.digital_link


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_product_qr_decodes_to_the_product_digital_link(client, demo_lot, fmt):
    product = demo_lot.product
    response = client.get(f"/truy-xuat/san-pham/{product.pk}/qr.{fmt}")
    image = Image.open(io.BytesIO(response.content)) if fmt == "png" else rasterise_segno_svg(response.content)
    assert decode(image) == product.digital_link
    assert product.digital_link.endswith(f"/01/{product.gtin}")


def test_the_resolver_base_comes_from_settings(client, demo_lot, settings):
    settings.GS1_RESOLVER_BASE = "https://id.example.vn"
    response = client.get(f"/truy-xuat/lo/{demo_lot.pk}/qr.png")
    assert (
        decode(Image.open(io.BytesIO(response.content)))
        == f"https://id.example.vn/01/{demo_lot.product.gtin}/10/{demo_lot.code}"
    )


def test_the_decoded_link_resolves_to_the_lot_page(client, demo_lot):
    text = decode(Image.open(io.BytesIO(client.get(f"/truy-xuat/lo/{demo_lot.pk}/qr.png").content)))
    path = text.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 307
    assert response["Location"].endswith(f"/truy-xuat/lo/{demo_lot.pk}/")


def test_unknown_qr_is_404(client):
    assert client.get("/truy-xuat/lo/999999/qr.png").status_code == 404
    assert client.get("/truy-xuat/lo/1/qr.gif").status_code == 404
