"""A cooperative's images and documents: one Wagtail collection per cooperative (catalog.scoping),
uploads land there, and the listings, choosers and traceability forms offer only the cooperative's own.

Demo accounts: `huucodongnai` manages HTX hữu cơ Đồng Nai (A), `bugiamap` is staff of HTX Bù Gia Mập (B).
Every media URL is tried with B's image and document in tests/shop/test_isolation_matrix.py.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from catalog import scoping
from catalog.models import Lot, TraceEvent
from cms.models import CooperativePage, HomePage

pytestmark = pytest.mark.django_db

User = get_user_model()
Image = get_image_model()
Document = get_document_model()


def jpeg(name="vuon.jpg"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (80, 60), "#5b8f3a").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_an_upload_lands_in_the_cooperatives_collection(client, manager, hcdn):
    client.force_login(manager)
    # One collection to upload to: Wagtail asks nothing and uses it.
    assert "collection" not in client.get("/admin/images/add/").context["form"].fields
    response = client.post("/admin/images/add/", {"title": "Ảnh vườn mới", "file": jpeg()})
    assert response.status_code == 302
    image = Image.objects.get(title="Ảnh vườn mới")
    assert image.collection == scoping.media_collection(hcdn) and image.uploaded_by_user == manager

    response = client.post("/admin/images/multiple/add/", {"files[]": jpeg("nhieu-anh.jpg")})
    assert response.json()["success"]
    assert Image.objects.get(pk=response.json()["image_id"]).collection == scoping.media_collection(hcdn)

    pdf = SimpleUploadedFile("phieu.pdf", b"%PDF-1.4 phieu", content_type="application/pdf")
    assert client.post("/admin/documents/add/", {"title": "Phiếu kiểm nghiệm mới", "file": pdf}).status_code == 302
    assert Document.objects.get(title="Phiếu kiểm nghiệm mới").collection == scoping.media_collection(hcdn)


def test_the_image_chooser_offers_own_images_even_when_asked_for_the_other_collection(client, manager, bgm):
    client.force_login(manager)
    theirs = scoping.media_collection(bgm)
    html = client.get(f"/admin/images/chooser/results/?collection_id={theirs.pk}").content.decode()
    for image in Image.objects.filter(collection=theirs):
        assert reverse("wagtailimages_chooser:chosen", args=[image.pk]) not in html and image.title not in html


def test_traceability_forms_offer_only_own_images_and_documents(client, manager, hcdn, bgm):
    client.force_login(manager)
    own, theirs = scoping.media_collection(hcdn), scoping.media_collection(bgm)
    form = client.get(f"/admin/snippets/catalogue/cooperative/edit/{hcdn.pk}/").context["form"]
    assert set(form.fields["logo"].queryset) == set(Image.objects.filter(collection=own))
    with pytest.raises(ValidationError):
        form.fields["logo"].clean(Image.objects.filter(collection=theirs).first().pk)

    lot = Lot.objects.filter(product__cooperative=hcdn).first()
    event_form = client.get(f"/admin/snippets/catalogue/lot/edit/{lot.pk}/").context["form"].formsets["events"].forms[0]
    assert set(event_form.fields["photo"].queryset) <= set(Image.objects.filter(collection=own))
    assert set(event_form.fields["document"].queryset) == set(Document.objects.filter(collection=own))
    with pytest.raises(ValidationError):
        event_form.fields["document"].clean(Document.objects.filter(collection=theirs).first().pk)


def test_a_picture_the_platform_admin_chose_stays_on_the_form(client, manager, hcdn):
    shared = Image.objects.filter(collection=Collection.get_first_root_node()).first()
    event = TraceEvent.objects.filter(lot__product__cooperative=hcdn).first()
    TraceEvent.objects.filter(pk=event.pk).update(photo=shared)
    client.force_login(manager)
    forms = client.get(f"/admin/snippets/catalogue/lot/edit/{event.lot_id}/").context["form"].formsets["events"].forms
    field = next(f for f in forms if f.instance.pk == event.pk).fields["photo"]
    assert field.clean(shared.pk) == shared
    other = Image.objects.filter(collection=Collection.get_first_root_node()).exclude(pk=shared.pk).first()
    with pytest.raises(ValidationError):
        field.clean(other.pk)


def test_staff_edit_and_delete_only_their_own_uploads_managers_any(client, clerk, bgm):
    image = Image.objects.filter(collection=scoping.media_collection(bgm)).first()
    client.force_login(clerk)
    response = client.post(f"/admin/images/{image.pk}/delete/")
    assert response.status_code in (302, 403) and Image.objects.filter(pk=image.pk).exists()
    assert client.get(f"/admin/images/{image.pk}/").status_code in (302, 403)
    # Staff still choose any of the cooperative's pictures.
    chosen = reverse("wagtailimages_chooser:chosen", args=[image.pk])
    assert chosen in client.get("/admin/images/chooser/").json()["html"]
    # ... but what they uploaded themselves they may (Wagtail's ownership rule).
    client.post("/admin/images/add/", {"title": "Ảnh của nhân viên", "file": jpeg()})
    mine = Image.objects.get(title="Ảnh của nhân viên")
    client.post(f"/admin/images/{mine.pk}/delete/")
    assert not Image.objects.filter(pk=mine.pk).exists()

    boss = User.objects.create_user("quanly-bgm", "ql@example.org", "x")
    scoping.assign(boss, bgm, scoping.Role.MANAGER)
    client.force_login(boss)
    client.post(f"/admin/images/{image.pk}/delete/")
    assert not Image.objects.filter(pk=image.pk).exists()


@pytest.mark.parametrize("username", ["bugiamap", "huucodongnai"])
def test_scope_agrees_with_wagtails_collection_permissions(username):
    user = User.objects.get(username=username)
    for model in (Image, Document):
        choosable = policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, ["choose"])
        assert set(scoping.scope(model.objects.all(), user)) == set(choosable)
        assert choosable.exists()


def test_collections_stay_the_platform_admins(client, manager):
    client.force_login(manager)
    response = client.get("/admin/collections/")
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"


def test_the_demo_puts_each_cooperatives_media_in_its_collection(bgm, hcdn):
    root = Collection.get_first_root_node()
    for cooperative in (bgm, hcdn):
        collection = scoping.media_collection(cooperative)
        for page in CooperativePage.objects.filter(partner=cooperative.partner):
            assert page.hero_image.collection == collection
            assert {block.value["image"].collection for block in page.gallery} == {collection}
        events = TraceEvent.objects.filter(lot__product__cooperative=cooperative)
        assert {e.photo.collection for e in events.exclude(photo=None).select_related("photo__collection")} == {
            collection
        }
        assert {e.document.collection for e in events.exclude(document=None)} == {collection}
    # The shop's own pictures (home page banners) stay the platform's.
    assert {home.hero_image.collection for home in HomePage.objects.all()} == {root}
