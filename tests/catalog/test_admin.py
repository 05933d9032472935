"""Staff edit traceability in the Wagtail admin: listings with search and filters, lots with events inline."""

import pytest
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from catalog.models import Lot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/catalogue/cooperative/",
        "/admin/snippets/catalogue/rawmaterialzone/?farming_status=organic",
        "/admin/snippets/catalogue/certification/?q=DEMO-VG",
        "/admin/snippets/catalogue/ocoprating/?stars=4",
        "/admin/snippets/catalogue/lot/?status=recalled",
        "/admin/snippets/catalogue/lot/?q=DEMO-BGM01",
    ],
)
def test_listings(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_edit_forms_render_with_choosers(admin_client, demo_lot):
    html = admin_client.get(f"/admin/snippets/catalogue/lot/edit/{demo_lot.pk}/").content.decode()
    assert "events-TOTAL_FORMS" in html
    assert "image-chooser" in html or "ImageChooser" in html
    assert "document-chooser" in html or "DocumentChooser" in html


def test_products_have_one_page_in_the_shop_dashboard(admin_client, demo_lot):
    # The product chooser's "edit" link (on a lot, a page) opens the product's page in Oscar's dashboard.
    assert (
        AdminURLFinder().get_edit_url(demo_lot.product) == f"/shop/dashboard/catalogue/products/{demo_lot.product.pk}/"
    )
    assert admin_client.get("/admin/product-traceability/").status_code == 404
    html = admin_client.get("/admin/").content.decode()
    assert "/shop/dashboard/catalogue/" in html  # the menu's "Sản phẩm" item


def test_create_a_lot_with_an_event_inline(admin_client, demo_lot):
    zone = demo_lot.zones.first()
    data = nested_form_data(
        {
            "product": demo_lot.product.pk,
            "code": "T-ADMIN-1",
            "harvest_date": "2025-03-01",
            "production_date": "",
            "packing_date": "2025-04-01",
            "best_before": "2026-04-01",
            "quantity": "100",
            "unit": "bag",
            "status": "released",
            "status_note": "",
            "status_note_en": "",
            "is_public": "on",
            "events": inline_formset(
                [
                    {
                        "step": "harvest",
                        "occurred_at": "2025-03-01 07:30",
                        "time_zone_offset": "+07:00",
                        "place": "Vườn thử",
                        "place_en": "",
                        "zone": zone.pk,
                        "actor": "Tổ thử",
                        "photo": "",
                        "document": "",
                        "notes": "Ghi chú",
                        "notes_en": "",
                    }
                ]
            ),
        }
    )
    # Multiple-choice fields go in as lists (nested_form_data would number them like formsets).
    data.update({"zones": [zone.pk], "events-0-input_lots": [demo_lot.pk]})
    response = admin_client.post("/admin/snippets/catalogue/lot/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lot = Lot.objects.get(code="T-ADMIN-1")
    assert list(lot.zones.all()) == [zone]
    event = lot.events.get()
    assert event.step == "harvest" and list(event.input_lots.all()) == [demo_lot]
    assert event.local_time.hour == 7
