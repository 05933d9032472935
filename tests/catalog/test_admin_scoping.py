"""The Wagtail admin's traceability screens, as cooperative staff: only their own cooperative's objects.

The manager of HTX hữu cơ Đồng Nai (A) reaches for HTX Bù Gia Mập's (B) objects; as a manager A has
every permission, so a refusal comes from the scoping, not from a missing permission.
"""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from wagtail.admin.admin_url_finder import AdminURLFinder

from catalog.models import Certification, Lot, OcopRating, RawMaterialZone

pytestmark = pytest.mark.django_db

User = get_user_model()
Product = get_model("catalogue", "Product")

SNIPPETS = {
    "cooperative": lambda coop: coop,
    "rawmaterialzone": lambda coop: RawMaterialZone.objects.filter(cooperative=coop).first(),
    "certification": lambda coop: Certification.objects.filter(cooperative=coop).exclude(kind="ocop").first(),
    "ocoprating": lambda coop: OcopRating.objects.filter(cooperative=coop).first(),
    "lot": lambda coop: Lot.objects.filter(product__cooperative=coop).first(),
}


@pytest.mark.parametrize("model", SNIPPETS)
@pytest.mark.parametrize("action", ["edit", "delete", "copy", "history", "history-results", "usage"])
def test_the_other_cooperatives_object_is_not_found(manager_client, bgm, hcdn, model, action):
    theirs, own = SNIPPETS[model](bgm), SNIPPETS[model](hcdn)
    response = manager_client.get(f"/admin/snippets/catalogue/{model}/{action}/{theirs.pk}/")
    # Copy asks the (scoped) permission policy first: Wagtail's permission-denied redirect.
    assert (response.status_code, response.get("Location")) in {(404, None), (302, "/admin/")}
    # Their own object opens, unless the role lacks the permission (only the platform admin adds or
    # deletes cooperatives): then Wagtail's permission-denied redirect.
    expected = 302 if (model, action) in {("cooperative", "delete"), ("cooperative", "copy")} else 200
    assert manager_client.get(f"/admin/snippets/catalogue/{model}/{action}/{own.pk}/").status_code == expected


def test_the_admin_links_only_own_products_to_their_page(bgm, hcdn):
    # Products are edited on their one page in Oscar's dashboard (tests/shop/test_product_dashboard.py).
    finder = AdminURLFinder(User.objects.get(username="huucodongnai"))
    theirs, own = Product.objects.filter(cooperative=bgm).first(), Product.objects.filter(cooperative=hcdn).first()
    assert finder.get_edit_url(theirs) is None
    assert finder.get_edit_url(own) == f"/shop/dashboard/catalogue/products/{own.pk}/"


@pytest.mark.parametrize(
    "url, theirs, own",
    [
        ("/admin/snippets/catalogue/cooperative/", "Bù Gia Mập", "hữu cơ Đồng Nai"),
        ("/admin/snippets/catalogue/rawmaterialzone/", "DEMO-BGM", "DEMO-HCDN"),
        ("/admin/snippets/catalogue/lot/", "DEMO-BGM", "DEMO-HCDN"),
        ("/admin/snippets/choose/catalogue/lot/", "DEMO-BGM", "DEMO-HCDN"),
        ("/admin/snippets/choose/catalogue/rawmaterialzone/", "DEMO-BGM", "DEMO-HCDN"),
    ],
)
def test_lists_and_choosers_show_only_own_objects(manager_client, url, theirs, own):
    response = manager_client.get(url)
    html = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        html = response.json()["html"]
    assert own in html
    assert theirs not in html


@pytest.mark.parametrize("model", ["certification", "ocoprating", "lot", "rawmaterialzone"])
def test_list_counts_match_scope(manager_client, hcdn, bgm, model):
    theirs = SNIPPETS[model](bgm)
    html = manager_client.get(f"/admin/snippets/catalogue/{model}/").content.decode()
    assert f"/edit/{theirs.pk}/" not in html


def test_list_filters_offer_only_own_cooperative(manager_client, bgm, hcdn):
    for url, name in [
        ("/admin/snippets/catalogue/rawmaterialzone/", "cooperative"),
        ("/admin/snippets/catalogue/lot/", "product__cooperative"),
    ]:
        field = manager_client.get(url).context["filters"].form.fields[name]
        assert list(field.queryset) == [hcdn]
    response = manager_client.get(f"/admin/snippets/catalogue/rawmaterialzone/?cooperative={bgm.pk}")
    assert "DEMO-BGM" not in response.content.decode()


def test_chosen_of_the_other_cooperatives_object_is_not_found(manager_client, bgm):
    zone = SNIPPETS["rawmaterialzone"](bgm)
    assert manager_client.get(f"/admin/snippets/choose/catalogue/rawmaterialzone/chosen/{zone.pk}/").status_code == 404
    response = manager_client.get(f"/admin/snippets/choose/catalogue/rawmaterialzone/chosen-multiple/?id={zone.pk}")
    assert zone.code not in response.content.decode()


def test_posting_to_the_other_cooperatives_objects_changes_nothing(manager_client, bgm):
    zone, lot = SNIPPETS["rawmaterialzone"](bgm), SNIPPETS["lot"](bgm)
    response = manager_client.post(
        f"/admin/snippets/catalogue/rawmaterialzone/edit/{zone.pk}/", {"name": "Đã bị sửa", "code": "HACKED"}
    )
    assert response.status_code == 404
    assert RawMaterialZone.objects.get(pk=zone.pk).name == zone.name
    assert manager_client.post(f"/admin/snippets/catalogue/lot/delete/{lot.pk}/").status_code == 404
    assert Lot.objects.filter(pk=lot.pk).exists()
    manager_client.post(f"/admin/bulk/catalogue/lot/delete/?next=/admin/&id={lot.pk}")
    assert Lot.objects.filter(pk=lot.pk).exists()


def zone_form(cooperative, code):
    return {
        "cooperative": cooperative.pk,
        "code": code,
        "name": "Vùng thử",
        "name_en": "",
        "commune": "Xã thử",
        "province": "Đồng Nai",
        "address_units": "from_2025",
        "area_ha": "10",
        "households": "",
        "farming_status": "organic",
        "latitude": "",
        "longitude": "",
        "description": "",
        "description_en": "",
    }


def test_a_member_creates_only_for_their_own_cooperative(manager_client, bgm, hcdn):
    form = manager_client.get("/admin/snippets/catalogue/rawmaterialzone/add/").context["form"]
    assert list(form.fields["cooperative"].queryset) == [hcdn]
    response = manager_client.post("/admin/snippets/catalogue/rawmaterialzone/add/", zone_form(bgm, "T-FOREIGN"))
    assert response.status_code == 200 and "cooperative" in response.context["form"].errors
    assert not RawMaterialZone.objects.filter(code="T-FOREIGN").exists()
    response = manager_client.post("/admin/snippets/catalogue/rawmaterialzone/add/", zone_form(hcdn, "T-OWN"))
    assert response.status_code == 302
    assert RawMaterialZone.objects.get(code="T-OWN").cooperative == hcdn


def test_forms_offer_only_own_products_zones_and_certificates(manager_client, hcdn):
    form = manager_client.get("/admin/snippets/catalogue/lot/add/").context["form"]
    assert set(form.fields["product"].queryset) == set(Product.objects.filter(cooperative=hcdn))
    assert set(form.fields["zones"].queryset) == set(RawMaterialZone.objects.filter(cooperative=hcdn))
    event_form = form.formsets["events"].empty_form
    assert set(event_form.fields["input_lots"].queryset) == set(Lot.objects.filter(product__cooperative=hcdn))
    assert set(event_form.fields["certifications"].queryset) == set(Certification.objects.filter(cooperative=hcdn))


def test_the_oscar_partner_of_a_cooperative_is_the_admins_to_set(manager_client, hcdn):
    form = manager_client.get(f"/admin/snippets/catalogue/cooperative/edit/{hcdn.pk}/").context["form"]
    assert form.fields["partner"].disabled


def test_staff_may_not_delete_manager_may(clerk_client, bgm):
    lot = SNIPPETS["lot"](bgm)
    response = clerk_client.post(f"/admin/snippets/catalogue/lot/delete/{lot.pk}/")
    assert response.status_code in (302, 403) and Lot.objects.filter(pk=lot.pk).exists()
    assert clerk_client.get(f"/admin/snippets/catalogue/lot/edit/{lot.pk}/").status_code == 200


def test_platform_admin_sees_both(admin_client, bgm, hcdn):
    html = admin_client.get("/admin/snippets/catalogue/rawmaterialzone/").content.decode()
    assert "DEMO-BGM" in html and "DEMO-HCDN" in html


def family(cooperative, sku, gtin):
    """A parent product of `cooperative` with one 500 g variant carrying `gtin`."""
    parent = Product.objects.create(title=f"Thử {sku}", upc=sku, structure="parent", cooperative=cooperative)
    child = Product.objects.create(
        parent=parent, structure="child", title=f"Thử {sku} – 500 g", upc=f"{sku}-500", gtin=gtin
    )
    return parent, child


def chooser_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["html"]


def test_a_lot_is_chosen_by_its_pack_size(clerk_client, bgm, hcdn):
    """The lot form's product chooser offers variants (the QR carries the variant's GTIN), only the
    member's own; the page editor's product blocks keep offering products, not variants."""
    parent, variant = family(bgm, "T-LOT-FAM", "02001000099993")
    _their_parent, their_variant = family(hcdn, "T-LOT-HCDN", "02002000099990")
    lot_choices = chooser_html(clerk_client, "/admin/lot_product_chooser/")
    assert variant.upc in lot_choices and parent.upc in lot_choices and variant.gtin in lot_choices
    assert their_variant.upc not in lot_choices
    assert variant.upc not in chooser_html(clerk_client, "/admin/product_chooser/")
    assert clerk_client.get(f"/admin/lot_product_chooser/chosen/{their_variant.pk}/").status_code == 404
    assert clerk_client.get(f"/admin/lot_product_chooser/chosen/{variant.pk}/").status_code == 200

    html = clerk_client.get("/admin/snippets/catalogue/lot/add/").content.decode()
    assert "/admin/lot_product_chooser/" in html and "mã QR trên tem mang GTIN của biến thể" in html
    response = clerk_client.post(
        "/admin/snippets/catalogue/lot/add/",
        {"product": variant.pk, "code": "T-LOT-500", "unit": "bag", "status": "released", "is_public": "on"}
        | {f"events-{key}": value for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Lot.objects.get(code="T-LOT-500").product == variant
    theirs = clerk_client.post(
        "/admin/snippets/catalogue/lot/add/",
        {"product": their_variant.pk, "code": "T-LOT-X", "unit": "bag", "status": "released"}
        | {"events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0},
    )
    assert theirs.status_code == 200 and not Lot.objects.filter(code="T-LOT-X").exists()


def test_each_lots_label_button_names_its_lot(clerk_client, bgm):
    lot = SNIPPETS["lot"](bgm)
    html = clerk_client.get("/admin/snippets/catalogue/lot/").content.decode()
    assert f'aria-label="In nhãn QR lô {lot.code} (mở thẻ mới)"' in html
