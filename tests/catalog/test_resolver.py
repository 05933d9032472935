"""The GS1 Digital Link resolver: every route and linkType, GTIN-13, unknown and malformed input."""

import pytest
from django.contrib.messages import get_messages

from catalog.models import Lot

pytestmark = pytest.mark.django_db
GS1 = "https://gs1.org/voc/"


@pytest.fixture
def lot(demo_lot):
    return demo_lot


@pytest.fixture
def product(lot):
    return lot.product


def lot_path(lot):
    return f"/01/{lot.product.gtin}/10/{lot.code}"


def rels(response):
    return response["Link"]


def test_lot_link_redirects_307_to_the_lot_page_and_lists_every_link(client, lot, product):
    response = client.get(lot_path(lot))
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/truy-xuat/lo/{lot.pk}/"
    link = rels(response)
    for rel in ("traceability", "pip", "certificationInfo", "epcis"):
        assert f'rel="{GS1}{rel}"' in link
    assert f"<http://testserver/truy-xuat/lo/{lot.pk}/>" in link
    assert f"<http://testserver/en/truy-xuat/lo/{lot.pk}/>" in link  # every language
    assert f"<http://testserver{product.get_absolute_url()}>" in link
    assert f"<http://testserver/truy-xuat/lo/{lot.pk}/epcis.jsonld>" in link
    assert 'rel="linkset"' in link and 'type="application/linkset+json"' in link
    assert "title*=UTF-8''" in link  # Vietnamese titles, percent-encoded
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("link_type", "target"),
    [
        ("gs1:pip", "product"),
        ("https://gs1.org/voc/pip", "product"),
        ("gs1:certificationInfo", "lot-certificates"),
        ("gs1:epcis", "lot-epcis"),
        ("gs1:traceability", "lot"),
        ("gs1:noSuchType", "lot"),  # unknown link type: the default link
    ],
)
def test_lot_link_types(client, lot, product, link_type, target):
    expected = {
        "product": product.get_absolute_url(),
        "lot-certificates": f"/truy-xuat/lo/{lot.pk}/chung-nhan/",
        "lot-epcis": f"/truy-xuat/lo/{lot.pk}/epcis.jsonld",
        "lot": f"/truy-xuat/lo/{lot.pk}/",
    }[target]
    response = client.get(lot_path(lot), {"linkType": link_type})
    assert response.status_code == 307
    assert response["Location"] == "http://testserver" + expected
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("link_type", "target"),
    [
        (None, "pip"),
        ("gs1:pip", "pip"),
        ("gs1:certificationInfo", "certs"),
        ("gs1:epcis", "epcis"),
        ("gs1:traceability", "trace"),
    ],
)
def test_gtin_only_link_types(client, product, link_type, target):
    expected = {
        "pip": product.get_absolute_url(),
        "certs": f"/truy-xuat/san-pham/{product.pk}/chung-nhan/",
        "epcis": f"/truy-xuat/san-pham/{product.pk}/epcis.jsonld",
        "trace": f"/truy-xuat/san-pham/{product.pk}/",
    }[target]
    response = client.get(f"/01/{product.gtin}", {"linkType": link_type} if link_type else {})
    assert response.status_code == 307
    assert response["Location"] == "http://testserver" + expected
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("link_type", ["linkset", "all"])
def test_linkset_json(client, lot, product, link_type, settings):
    response = client.get(lot_path(lot), {"linkType": link_type})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    entry = response.json()["linkset"][0]
    assert entry["anchor"] == f"{settings.GS1_RESOLVER_BASE}/01/{product.gtin}/10/{lot.code}"
    assert entry["itemDescription"] == product.get_title()
    assert entry[GS1 + "defaultLink"][0]["href"] == f"http://testserver/truy-xuat/lo/{lot.pk}/"
    assert {item["hreflang"][0] for item in entry[GS1 + "pip"]} == {"vi", "en"}
    assert entry[GS1 + "epcis"][0]["type"] == "application/ld+json"
    assert GS1 + "certificationInfo" in entry and GS1 + "traceability" in entry


def test_linkset_by_content_negotiation(client, lot):
    response = client.get(lot_path(lot), headers={"accept": "application/linkset+json"})
    assert response.status_code == 200
    assert "linkset" in response.json()


def test_gtin13_is_normalised(client, lot, product):
    gtin13 = product.gtin[1:]
    assert len(gtin13) == 13
    response = client.get(f"/01/{gtin13}/10/{lot.code}")
    assert response.status_code == 307
    assert response["Location"] == f"http://testserver/truy-xuat/lo/{lot.pk}/"
    assert client.get(f"/01/{gtin13}")["Location"] == "http://testserver" + product.get_absolute_url()


def test_serial_and_data_attributes_resolve_to_the_lot(client, lot):
    response = client.get(lot_path(lot) + "/21/SERIAL1", {"17": "271231"})
    assert response.status_code == 307
    assert response["Location"].endswith(f"/truy-xuat/lo/{lot.pk}/")


def test_unknown_lot_goes_to_the_product_page_with_a_notice(client, product):
    response = client.get(f"/01/{product.gtin}/10/KHONG-CO")
    assert response.status_code == 307
    assert response["Location"] == "http://testserver" + product.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith("Không tìm thấy lô “KHONG-CO”")
    page = client.get(response["Location"])
    assert "Không tìm thấy lô “KHONG-CO”" in page.content.decode()


def test_a_lot_that_is_not_public_is_unknown_to_shoppers(client, admin_client, lot):
    Lot.objects.filter(pk=lot.pk).update(is_public=False)
    assert client.get(lot_path(lot))["Location"].endswith(lot.product.get_absolute_url())
    assert client.get(f"/truy-xuat/lo/{lot.pk}/").status_code == 404
    assert admin_client.get(lot_path(lot))["Location"].endswith(f"/truy-xuat/lo/{lot.pk}/")


def test_lot_codes_with_reserved_characters_round_trip(client, make_product, make_lot):
    product = make_product("02000000000992")
    lot = make_lot(product, "L?1%2", 1)
    response = client.get("/01/02000000000992/10/L%3F1%252")
    assert response.status_code == 307
    assert response["Location"].endswith(f"/truy-xuat/lo/{lot.pk}/")
    assert lot.digital_link.endswith("/01/02000000000992/10/L%3F1%252")


@pytest.mark.parametrize(
    "path",
    [
        "/01/02000000000108",  # wrong check digit
        "/01/2000000000108",  # GTIN-13, wrong check digit
        "/01/1234",  # too short
        "/01/0200000000010712",  # too long
        "/01/0200000000010X",  # not digits
        "/01/02000000000107/10",  # lot key without a value
        "/01/02000000000107/10/" + "A" * 21,  # lot longer than AI 10 allows
        "/01/02000000000107/10/LÔ",  # not GS1 characters
        "/01/02000000000107/21/S/10/A",  # qualifiers out of order
        "/01/02000000000107?17=991399",  # impossible expiry date
    ],
)
def test_malformed_links_get_a_readable_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mã không hợp lệ" in html
    assert "/truy-xuat/" in html  # a way forward: the lookup form
    assert '<html lang="vi">' in html


def test_unknown_gtin_is_404(client):
    response = client.get("/01/08930000000019")  # valid check digit, no such product
    assert response.status_code == 404
    assert "Không tìm thấy sản phẩm" in response.content.decode()


def test_language_follows_the_browser(client, lot):
    response = client.get(lot_path(lot), headers={"accept-language": "en-GB,en;q=0.9"})
    assert response["Location"] == f"http://testserver/en/truy-xuat/lo/{lot.pk}/"
    assert "Accept-Language" in response["Vary"]


def test_head_and_options(client, lot):
    assert client.head(lot_path(lot)).status_code == 307
    response = client.options(lot_path(lot))
    assert response.status_code == 204
    assert "GET" in response["Allow"]


def test_resolver_description(client, settings):
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200
    data = response.json()
    assert data["resolverRoot"] == settings.GS1_RESOLVER_BASE
    assert data["supportedPrimaryKeys"] == ["01"]
    assert data["supportedLinkType"][0]["prefix"] == "gs1:"
    assert "gs1:epcis" in data["supportedLinkTypes"]


def test_lookup_form_sends_numbers_to_the_resolver(client, lot, product):
    response = client.get("/truy-xuat/", {"gtin": product.gtin[1:], "lo": lot.code})
    assert response.status_code == 302
    assert response["Location"] == lot_path(lot)
    page = client.get("/truy-xuat/", {"gtin": "2000000000108"})
    assert page.status_code == 200
    assert "Chữ số kiểm tra của GTIN" in page.content.decode()
