"""The isolation matrix, generated from the URL configuration.

Every staff URL (Wagtail admin under /admin/, Oscar dashboard under /shop/dashboard/) that takes an
argument is found by walking the resolver. Each must be either
- MAPPED: it takes a cooperative's object; a user of cooperative A (the manager of HTX hữu cơ Đồng
  Nai, who has every permission a cooperative role has) asks for cooperative B's object (HTX Bù Gia
  Mập's) by GET and POST and is refused (403, 404, 405 or a redirect to login/permission denied),
  and the database does not change; or
- PLATFORM_ONLY: a section without a cooperative dimension; the cooperative user is refused
  outright, whatever the object; or
- SHARED: it takes an object both cooperatives have a part in (a trade fair); the user of A opens it
  and sees only A's part: none of B's figures or products in the page or its CSV; or
- IRRELEVANT: with the reason.
A new staff URL that is none of these fails `test_every_staff_url_with_an_argument_is_covered`.
"""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowState,
)
from wagtail_localize.models import OverridableSegment, StringSegment, StringTranslation, Translation

from catalog.models import Certification, Cooperative, CooperativeMembership, Lot, OcopRating, RawMaterialZone
from catalog.scoping import media_collection, scope
from cms.models import CooperativePage

pytestmark = pytest.mark.django_db

User = get_user_model()
Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
PaymentEvent = get_model("order", "PaymentEvent")
Default = get_class("partner.strategy", "Default")
Image = get_image_model()
Document = get_document_model()

STAFF_PREFIXES = ("admin/", "shop/dashboard/")


def staff_url_patterns():
    """(route, full name) of every staff URL pattern that takes an argument."""
    found = []

    def walk(resolver, route, namespace):
        for pattern in resolver.url_patterns:
            text = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, text, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and text.startswith(STAFF_PREFIXES) and pattern.pattern.regex.groups:
                found.append((text, namespace + (pattern.name or "")))

    walk(get_resolver(), "", "")
    return found


def snippet(model, getter):
    names = ["edit", "delete", "usage", "history", "history_results", "copy"]
    return {f"wagtailsnippets_catalogue_{model}:{name}": lambda b, g=getter: {"pk": g(b).pk} for name in names} | {
        f"wagtailsnippetchoosers_catalogue_{model}:chosen": lambda b, g=getter: {"pk": g(b).pk}
    }


def page_urls(names, getter=lambda b: b.page):
    return {f"wagtailadmin_pages:{name}": lambda b, g=getter: {"page_id": g(b).pk} for name in names}


def translation_urls(names):
    return {f"wagtail_localize:{name}": lambda b: {"translation_id": b.translation.pk} for name in names}


# URL name -> kwargs naming cooperative B's object.
MAPPED = {
    **snippet("cooperative", lambda b: b.cooperative),
    **snippet("rawmaterialzone", lambda b: b.zone),
    **snippet("certification", lambda b: b.certification),
    **snippet("ocoprating", lambda b: b.ocop),
    **snippet("lot", lambda b: b.lot),
    "product_chooser:chosen": lambda b: {"pk": b.product.pk},
    "lot_product_chooser:chosen": lambda b: {"pk": b.product.pk},
    "dashboard:catalogue-product": lambda b: {"pk": b.product.pk},
    "dashboard:catalogue-product-delete": lambda b: {"pk": b.product.pk},
    "dashboard:catalogue-product-create-child": lambda b: {"parent_pk": b.product.pk},
    "dashboard:order-detail": lambda b: {"number": b.order.number},
    "dashboard:order-detail-note": lambda b: {"number": b.order.number, "note_id": b.note.pk},
    "dashboard:order-shipping-address": lambda b: {"number": b.order.number},
    "dashboard:order-line-detail": lambda b: {"number": b.mixed_order.number, "line_id": b.mixed_line.pk},
    "dashboard:partner-manage": lambda b: {"pk": b.cooperative.partner_id},
    "dashboard:partner-delete": lambda b: {"pk": b.cooperative.partner_id},
    "dashboard:partner-user-create": lambda b: {"partner_pk": b.cooperative.partner_id},
    "dashboard:partner-user-select": lambda b: {"partner_pk": b.cooperative.partner_id},
    **{
        f"dashboard:partner-user-{name}": lambda b: {"partner_pk": b.cooperative.partner_id, "user_pk": b.user.pk}
        for name in ("link", "unlink", "update")
    },
    # Pages: B's cooperative page (its English translation for the translation screens), in the
    # explorer, the chooser, every page action, revisions, workflow and the admin API.
    "wagtailadmin_explore": lambda b: {"parent_page_id": b.page.pk},
    "wagtailadmin_explore_results": lambda b: {"parent_page_id": b.page.pk},
    "wagtailadmin_choose_page_child": lambda b: {"parent_page_id": b.page.pk},
    **page_urls(
        [
            "edit",
            "preview_on_edit",
            "view_draft",
            "delete",
            "unpublish",
            "copy",
            "set_privacy",
            "lock",
            "unlock",
            "usage",
            "revisions_index",
            "workflow_history",
            "history",
            "history_results",
            "confirm_workflow_cancellation",
        ]
    ),
    "wagtailadmin_pages:convert_alias": lambda b: {"page_id": b.page_en.pk},
    **{
        f"wagtailadmin_pages:{name}": lambda b: {
            "content_type_app_name": "cms",
            "content_type_model_name": "articlepage",
            "parent_page_id": b.page.pk,
        }
        for name in ("add", "preview_on_add")
    },
    "wagtailadmin_pages:add_subpage": lambda b: {"parent_page_id": b.page.pk},
    "wagtailadmin_pages:move": lambda b: {"page_to_move_id": b.page.pk},
    "wagtailadmin_pages:move_confirm": lambda b: {"page_to_move_id": b.page.pk, "destination_id": b.a_page.pk},
    "wagtailadmin_pages:set_page_position": lambda b: {"page_to_move_id": b.page.pk},
    **{
        f"wagtailadmin_pages:revisions_{name}": lambda b: {"page_id": b.page.pk, "revision_id": b.revision.pk}
        for name in ("view", "revert", "unschedule")
    },
    "wagtailadmin_pages:revisions_compare": lambda b: {
        "pk": b.page.pk,
        "revision_id_a": "earliest",
        "revision_id_b": str(b.revision.pk),
    },
    **{
        f"wagtailadmin_pages:{name}": lambda b: {
            "page_id": b.page.pk,
            "action_name": "approve",
            "task_state_id": b.task_state.pk,
        }
        for name in ("workflow_action", "collect_workflow_action_data")
    },
    "wagtailadmin_pages:workflow_preview": lambda b: {"page_id": b.page.pk, "task_id": b.task_state.task_id},
    "wagtailadmin_pages:workflow_history_detail": lambda b: {
        "page_id": b.page.pk,
        "workflow_state_id": b.task_state.workflow_state_id,
    },
    "wagtailadmin_editing_sessions:ping": lambda b: {
        "app_label": "wagtailcore",
        "model_name": "page",
        "object_id": str(b.page.pk),
        "session_id": "0",
    },
    "wagtailadmin_api:pages:detail": lambda b: {"pk": b.page.pk},
    "wagtailadmin_api:pages:action": lambda b: {"pk": b.page.pk, "action_name": "unpublish"},
    # The English translation of B's page, through wagtail-localize's editor.
    **translation_urls(
        ["download_pofile", "upload_pofile", "machine_translate", "preview_translation", "stop_translation"]
    ),
    "wagtail_localize:edit_string_translation": lambda b: {
        "translation_id": b.translation.pk,
        "string_segment_id": b.string_segment.pk,
    },
    "wagtail_localize:edit_override": lambda b: {
        "translation_id": b.translation.pk,
        "overridable_segment_id": b.overridable_segment.pk,
    },
    "wagtail_localize:convert_to_alias": lambda b: {"page_id": b.page_en.pk},
    # Media: an image and a document in B's collection, and files B's staff uploaded but not yet saved.
    **{
        f"wagtailimages:{name}": lambda b: {"image_id": b.image.pk}
        for name in ("edit", "delete", "url_generator", "url_generator_output", "image_usage", "edit_multiple")
    },
    "wagtailimages:delete_multiple": lambda b: {"image_id": b.image.pk},
    "wagtailimages:preview": lambda b: {"image_id": b.image.pk, "filter_spec": "max-165x165"},
    "wagtailimages:create_multiple_from_uploaded_image": lambda b: {"uploaded_file_id": b.uploaded_image.pk},
    "wagtailimages:delete_upload_multiple": lambda b: {"uploaded_file_id": b.uploaded_image.pk},
    "wagtailimages_chooser:chosen": lambda b: {"pk": b.image.pk},
    "wagtailimages_chooser:select_format": lambda b: {"image_id": b.image.pk},
    "wagtailadmin_api:images:detail": lambda b: {"pk": b.image.pk},
    "wagtaildocs:edit": lambda b: {"document_id": b.document.pk},
    "wagtaildocs:delete": lambda b: {"document_id": b.document.pk},
    "wagtaildocs:document_usage": lambda b: {"document_id": b.document.pk},
    "wagtaildocs:edit_multiple": lambda b: {"doc_id": b.document.pk},
    "wagtaildocs:delete_multiple": lambda b: {"doc_id": b.document.pk},
    "wagtaildocs:create_multiple_from_uploaded_document": lambda b: {"uploaded_file_id": b.uploaded_document.pk},
    "wagtaildocs:delete_upload_multiple": lambda b: {"uploaded_file_id": b.uploaded_document.pk},
    "wagtaildocs_chooser:chosen": lambda b: {"pk": b.document.pk},
    "wagtailadmin_api:documents:detail": lambda b: {"pk": b.document.pk},
}

# Name prefix -> why a cooperative user has no business there (and is refused, which is checked).
PLATFORM_ONLY = {
    "dashboard:offer-": "offers have no cooperative dimension (Oscar: staff only)",
    "dashboard:range-": "ranges have no cooperative dimension (Oscar: staff only)",
    "dashboard:voucher-": "vouchers have no cooperative dimension (Oscar: staff only)",
    "dashboard:shipping-": "shipping methods are site-wide (Oscar: staff only)",
    "dashboard:reviews-": "reviews are moderated site-wide (Oscar: staff only)",
    "dashboard:user-": "customer accounts are the platform's (Oscar: staff only)",
    "dashboard:page-": "flat pages are site-wide (Oscar: staff only)",
    "dashboard:comms-": "communication templates are site-wide (Oscar: staff only)",
    "dashboard:catalogue-category-": "the category tree is shared (Oscar: staff only)",
    "dashboard:catalogue-class-": "product types are shared (Oscar: staff only)",
    "dashboard:catalogue-attribute-option-group-": "attribute options are shared (Oscar: staff only)",
    "dashboard:catalogue-option-": "product options are shared (Oscar: staff only)",
    "wagtailadmin_workflows:": "workflows are the platform admin's (each cooperative's is made by catalog.scoping)",
    "wagtailadmin_collections:": "collections are the platform admin's (each cooperative's is made by catalog.scoping)",
    "wagtailforms:": "form submissions are the platform admin's",
    "wagtailredirects:": "redirects are the platform admin's",
    "wagtailsettings:": "site settings are the platform admin's",
    "wagtailsites:": "sites are the platform admin's",
    "wagtaillocales:": "locales are the platform admin's",
    "wagtailusers_users:": "user accounts are the platform admin's",
    "wagtailusers_groups:": "groups are the platform admin's",
    "wagtail_localize:": "starting and syncing translations (and snippets') is the platform admin's; members "
    "edit the English translation of their own page (mapped above)",
}

# Name -> why it is neither: no object of a cooperative behind the argument.
IRRELEVANT = {
    "wagtail_bulk_action": "arguments name a model and an action; object ids come in the query "
    "string and are checked per object by the scoped permission policy (tests/catalog/test_admin_scoping.py)",
    "wagtailadmin_tag_model_autocomplete": "arguments name a model; returns tag names only",
    "wagtailadmin_editing_sessions:ping": "the user's own editing session; the object view itself is scoped",
    "wagtailadmin_editing_sessions:release": "the user's own editing session",
    "wagtailadmin_password_reset_confirm": "a password-reset token, no object",
    "dashboard:catalogue-product-create": "the argument is a shared product type; the new product's "
    "cooperative is fixed to the user's own and its stock records take only their own partner",
    "wagtailadmin_pages:type_use": "the argument is a page type; the listing shows only the user's explorable "
    "pages (test_lists_choosers_and_exports_never_include_the_other_cooperatives_objects)",
    "wagtailadmin_pages:type_use_results": "the argument is a page type; listing as above",
    "wagtailadmin_pages:choose_parent": "the argument is a page type; it offers only pages the user may add to "
    "(tested in the list test)",
    "wagtailadmin_workflows:task_chosen": "workflow task names only; workflows are the platform admin's "
    "and cooperative roles have none",
}


# Name -> kwargs naming a trade fair where both cooperatives sold (see `fair_of_both`).
SHARED = {
    "fairs_report:detail": lambda fair: {"pk": fair.pk},
    "fairs_report:csv": lambda fair: {"pk": fair.pk},
}


def classify(name):
    if name in SHARED:
        return "shared"
    if name in MAPPED:
        return "mapped"
    if name in IRRELEVANT:
        return "irrelevant"
    if any(name.startswith(prefix) for prefix in PLATFORM_ONLY):
        return "platform"
    return None


def test_every_staff_url_with_an_argument_is_covered():
    patterns = staff_url_patterns()
    assert len(patterns) > 100, "the walk found the staff URLs"
    missing = sorted({f"{name or '(unnamed)'}  {route}" for route, name in patterns if classify(name) is None})
    assert not missing, "Staff URLs with an argument that the isolation matrix does not cover:\n" + "\n".join(missing)
    stale = set(MAPPED) - {name for _, name in patterns}
    assert not stale, f"Mapped URL names that no longer exist: {sorted(stale)}"


@dataclass
class CooperativeB:
    cooperative: Cooperative
    zone: RawMaterialZone
    certification: Certification
    ocop: OcopRating
    lot: Lot
    product: Product
    user: User
    order: Order
    note: OrderNote
    mixed_order: Order
    mixed_line: Line
    page: CooperativePage
    page_en: CooperativePage
    a_page: CooperativePage
    revision: Revision
    task_state: TaskState
    translation: Translation
    string_segment: StringSegment
    overridable_segment: OverridableSegment
    image: Image
    document: Document
    uploaded_image: UploadedFile
    uploaded_document: UploadedFile


def order_of(*cooperatives):
    basket = Basket.objects.create()
    basket.strategy = Default()
    for cooperative in cooperatives:
        basket.add_product(
            Product.objects.filter(
                cooperative=cooperative, structure="standalone", stockrecords__partner=cooperative.partner
            ).first(),
            1,
        )
    return create_order(basket=basket)


def uploaded(model, user):
    return UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(model),
        file=ContentFile(b"pending", name="pending.bin"),
        uploaded_by_user=user,
    )


@pytest.fixture
def a_user():
    return User.objects.get(username="huucodongnai")


@pytest.fixture
def b(a_user):
    cooperative = Cooperative.objects.get(partner__code="bugiamap")
    other = Cooperative.objects.get(partner__code="huucodongnai")
    order = order_of(cooperative)
    mixed = order_of(cooperative, other)
    # B's product that A's partner also stocks: still B's (Oscar would open it to both partners).
    product = Product.objects.filter(cooperative=cooperative, structure="standalone").first()
    StockRecord.objects.create(product=product, partner=other.partner, partner_sku="A-HOLDS-B", price=1000)
    clerk = User.objects.get(username="bugiamap")
    page = CooperativePage.objects.get(partner=cooperative.partner, locale__language_code="vi")
    page_en = CooperativePage.objects.get(partner=cooperative.partner, locale__language_code="en")
    # B's clerk has submitted a change of B's page to B's managers: a workflow task is waiting.
    page.save_revision(user=clerk)
    task_state = page.get_workflow().start(page, clerk).current_task_state
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=page_en.locale)
    collection = media_collection(cooperative)
    return CooperativeB(
        cooperative=cooperative,
        zone=RawMaterialZone.objects.filter(cooperative=cooperative).first(),
        certification=Certification.objects.filter(cooperative=cooperative).exclude(kind="ocop").first(),
        ocop=OcopRating.objects.filter(cooperative=cooperative).first(),
        lot=Lot.objects.filter(product__cooperative=cooperative).first(),
        product=product,
        user=CooperativeMembership.objects.filter(cooperative=cooperative).first().user,
        order=order,
        note=order.notes.create(message="Ghi chú của HTX B"),
        mixed_order=mixed,
        mixed_line=mixed.lines.get(partner=cooperative.partner),
        page=page,
        page_en=page_en,
        a_page=CooperativePage.objects.get(partner=other.partner, locale__language_code="vi"),
        revision=page.get_latest_revision(),
        task_state=task_state,
        translation=translation,
        string_segment=StringSegment.objects.filter(source=translation.source).first(),
        overridable_segment=OverridableSegment.objects.filter(source=translation.source).first(),
        image=Image.objects.filter(collection=collection).first(),
        document=Document.objects.filter(collection=collection).first(),
        uploaded_image=uploaded(Image, clerk),
        uploaded_document=uploaded(Document, clerk),
    )


SNAPSHOT_MODELS = [
    Cooperative,
    RawMaterialZone,
    Certification,
    OcopRating,
    Lot,
    Product,
    StockRecord,
    Order,
    Line,
    OrderNote,
    ShippingEvent,
    PaymentEvent,
    CooperativeMembership,
    User,
    Page,
    Revision,
    WorkflowState,
    TaskState,
    GroupPagePermission,
    PageViewRestriction,
    EditingSession,
    StringTranslation,
    Translation,
    Image,
    Document,
    UploadedFile,
    Collection,
    GroupCollectionPermission,
]


def snapshot(b):
    """Row counts, plus every field of B's objects (updated_at included where a model has one)."""
    counts = {model.__name__: model._default_manager.count() for model in SNAPSHOT_MODELS}
    rows = {
        f"{model.__name__} {obj.pk}": list(model._default_manager.filter(pk=obj.pk).values())
        for model, obj in [
            (Cooperative, b.cooperative),
            (RawMaterialZone, b.zone),
            (Certification, b.certification),
            (OcopRating, b.ocop),
            (Lot, b.lot),
            (Product, b.product),
            (Order, b.order),
            (Line, b.mixed_line),
            (User, b.user),
            (Page, b.page),
            (Page, b.page_en),
            (Image, b.image),
            (Document, b.document),
            (TaskState, b.task_state),
            (UploadedFile, b.uploaded_image),
            (UploadedFile, b.uploaded_document),
        ]
    }
    rows["translation"] = list(Translation.objects.filter(pk=b.translation.pk).values())
    rows["partner users"] = sorted(b.cooperative.partner.users.values_list("pk", flat=True))
    return counts, rows


def refused(response, client=None, hops=3):
    """403, 404, 405, or a redirect to the login or to Wagtail's permission-denied admin home."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        if location.split("?")[0] in ("/admin/", settings.LOGIN_URL) or "login" in location:
            return True
        # Another page of the same section (revisions -> history): that page must refuse too.
        return bool(client and hops) and refused(client.get(location), client, hops - 1)
    return False


MAPPED_NAMES = sorted(MAPPED)


@pytest.mark.parametrize("name", MAPPED_NAMES)
def test_the_other_cooperatives_object_is_refused_and_nothing_changes(client, a_user, b, name):
    client.force_login(a_user)
    url = reverse(name, kwargs=MAPPED[name](b))
    before = snapshot(b)
    response = client.get(url)
    assert refused(response, client), f"GET {url} answered {response.status_code}"
    response = client.post(url, {"name": "Đã bị sửa", "title": "Đã bị sửa", "action": "delete", "message": "x"})
    assert refused(response, client), f"POST {url} answered {response.status_code}"
    assert snapshot(b) == before


def dummy_kwargs(route):
    """Any well-formed arguments: a platform-only section refuses the user whatever they name."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
    return dict.fromkeys(names, "1")


PLATFORM_ROUTES = sorted({(name, route) for route, name in staff_url_patterns() if classify(name) == "platform"})


@pytest.mark.parametrize("name, route", PLATFORM_ROUTES, ids=[name for name, _ in PLATFORM_ROUTES])
def test_platform_only_sections_refuse_cooperative_users(client, a_user, name, route):
    client.force_login(a_user)
    url = reverse(name, kwargs=dummy_kwargs(route))
    response = client.get(url)
    assert refused(response, client), f"GET {url} answered {response.status_code}"


@pytest.mark.parametrize(
    "url",
    [
        "/shop/dashboard/offers/",
        "/shop/dashboard/vouchers/",
        "/shop/dashboard/ranges/",
        "/shop/dashboard/shipping/",
        "/shop/dashboard/reviews/",
        "/shop/dashboard/reports/",
        "/shop/dashboard/users/",
        "/shop/dashboard/pages/",
        "/shop/dashboard/comms/",
        "/shop/dashboard/partners/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/users/new/",
        "/admin/reports/audit/",
        "/admin/reports/audit/results/",
    ],
)
def test_platform_wide_sections_are_closed_to_cooperative_users(client, a_user, url):
    assert not a_user.is_staff and not a_user.is_superuser
    client.force_login(a_user)
    assert refused(client.get(url))


def test_no_cooperative_member_is_staff():
    assert not User.objects.filter(cooperative_membership__isnull=False, is_staff=True).exists()


@pytest.mark.parametrize(
    "url, hidden",
    [
        ("/admin/snippets/catalogue/cooperative/", lambda b: [f"/edit/{b.cooperative.pk}/"]),
        ("/admin/snippets/catalogue/rawmaterialzone/", lambda b: [b.zone.code]),
        ("/admin/snippets/catalogue/certification/", lambda b: [f"/edit/{b.certification.pk}/"]),
        ("/admin/snippets/catalogue/ocoprating/", lambda b: [f"/edit/{b.ocop.pk}/"]),
        ("/admin/snippets/catalogue/lot/", lambda b: [b.lot.code]),
        ("/admin/snippets/choose/catalogue/lot/", lambda b: [b.lot.code]),
        ("/admin/snippets/choose/catalogue/rawmaterialzone/", lambda b: [b.zone.code]),
        ("/admin/snippets/choose/catalogue/certification/", lambda b: [b.certification.number]),
        ("/shop/dashboard/catalogue/", lambda b: [b.product.upc, f"/products/{b.product.pk}/"]),
        ("/shop/dashboard/catalogue/?upc=DEMO-BGM", lambda b: [b.product.upc]),
        ("/shop/dashboard/catalogue/products/export/", lambda b: [b.product.upc, "DEMO-BGM"]),
        ("/shop/dashboard/catalogue/product-lookup/?q=B", lambda b: [f'"id": {b.product.pk}', b.product.title]),
        ("/admin/product_chooser/", lambda b: [b.product.upc]),
        ("/admin/lot_product_chooser/", lambda b: [b.product.upc]),
        ("/shop/dashboard/orders/", lambda b: [str(b.order.number)]),
        ("/shop/dashboard/orders/?response_format=csv", lambda b: [str(b.order.number)]),
        # The staff home's panels (orders to fulfil, stock, sales, certificates, lots) and Oscar's home.
        ("/admin/", lambda b: [str(b.order.number)]),
        ("/admin/?htx=bugiamap", lambda b: [str(b.order.number)]),
        ("/shop/dashboard/", lambda b: [str(b.order.number)]),
    ],
)
def test_lists_choosers_and_exports_never_include_the_other_cooperatives_objects(client, a_user, b, url, hidden):
    client.force_login(a_user)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        # Wagtail's choosers answer with rendered HTML inside JSON; Oscar's lookup with plain JSON.
        body = response.json().get("html", body)
    for text in hidden(b):
        assert text not in body


def test_the_staff_home_never_shows_the_other_cooperatives_rows(client, a_user, b):
    from datetime import timedelta

    from django.utils import timezone

    Lot.objects.filter(pk=b.lot.pk).update(status=Lot.Status.ON_HOLD)
    Certification.objects.filter(pk=b.certification.pk).update(
        withdrawn_on=None, suspended_from=None, valid_from=None, expires_on=timezone.localdate() + timedelta(days=5)
    )
    StockRecord.objects.filter(partner=b.cooperative.partner).update(num_in_stock=1, num_allocated=0)
    client.force_login(a_user)
    body = client.get("/admin/").content.decode()
    for url in (
        f"/snippets/catalogue/lot/edit/{b.lot.pk}/",
        f"/snippets/catalogue/certification/edit/{b.certification.pk}/",
        f"/shop/dashboard/catalogue/products/{b.product.pk}/",
        f"/shop/dashboard/orders/{b.order.number}/",
    ):
        assert url not in body, url
    assert f"/shop/dashboard/orders/{b.mixed_order.number}/" in body  # A's own line in it is to fulfil


def test_the_csv_export_of_selected_orders_skips_the_other_cooperatives(client, a_user, b):
    client.force_login(a_user)
    response = client.post(
        "/shop/dashboard/orders/", {"action": "download_selected_orders", "selected_order": [b.order.pk]}
    )
    assert str(b.order.number) not in response.content.decode()


def test_the_helper_agrees_with_the_dashboard_order_list(a_user, b):
    assert not scope(Line.objects.filter(order=b.order), a_user).exists()


# PAGES AND MEDIA: listings, choosers, search, reports and the admin API show A's own, never B's
# ------------------------------------------------------------------------------
def coop_index(page):
    return page.get_parent().pk


@dataclass
class OwnAndTheirs:
    url: object  # str, or callable(b)
    shown: object  # callable(b) -> texts that must be there (so an empty answer cannot pass)
    hidden: object  # callable(b) -> texts that must not


def page_link(page):
    return f"/admin/pages/{page.pk}/"


def image_link(image):
    return f"/admin/images/{image.pk}/"


def a_media(model, b, title=""):
    """One of A's images or documents (the newest, or the newest whose title starts with `title`)."""
    own = model.objects.filter(collection=media_collection(b.a_page.partner.cooperative), title__startswith=title)
    return own.order_by("-pk").first()


def workflow_name(cooperative_page):
    return cooperative_page.partner.cooperative.workspace.workflow.name


def chosen_link(image):
    return reverse("wagtailimages_chooser:chosen", args=[image.pk])


PAGE_AND_MEDIA_LISTS = {
    "explorer of the cooperatives index": OwnAndTheirs(
        lambda b: f"/admin/pages/{coop_index(b.page)}/", lambda b: [page_link(b.a_page)], lambda b: [page_link(b.page)]
    ),
    "explorer of the English index": OwnAndTheirs(
        lambda b: f"/admin/pages/{coop_index(b.page_en)}/",
        lambda b: [page_link(b.a_page.get_translation(b.page_en.locale))],
        lambda b: [page_link(b.page_en)],
    ),
    "explorer search of the whole tree": OwnAndTheirs(
        lambda b: f"/admin/pages/{coop_index(b.page)}/?q=HTX&search_all=1",
        lambda b: [page_link(b.a_page)],
        lambda b: [page_link(b.page), page_link(b.page_en)],
    ),
    "admin page search": OwnAndTheirs(
        "/admin/pages/search/?q=HTX", lambda b: [page_link(b.a_page)], lambda b: [page_link(b.page)]
    ),
    "pages of a type": OwnAndTheirs(
        "/admin/pages/usage/cms/cooperativepage/",
        lambda b: [page_link(b.a_page)],
        lambda b: [page_link(b.page), page_link(b.page_en)],
    ),
    "page chooser": OwnAndTheirs(
        lambda b: f"/admin/choose-page/{coop_index(b.page)}/",
        lambda b: [b.a_page.title],
        lambda b: [b.page.title, f"/admin/choose-page/{b.page.pk}/"],
    ),
    "page chooser search": OwnAndTheirs(
        "/admin/choose-page/search/?q=HTX",
        lambda b: [b.a_page.title],
        lambda b: [b.page.title, b.page_en.title],
    ),
    # The filters' workflow list offers the user's own approval workflow only.
    "workflow report": OwnAndTheirs(
        "/admin/reports/workflow/",
        lambda b: [workflow_name(b.a_page)],
        lambda b: [page_link(b.page), workflow_name(b.page)],
    ),
    "workflow tasks report": OwnAndTheirs(
        "/admin/reports/workflow_tasks/",
        lambda b: [workflow_name(b.a_page)],
        lambda b: [page_link(b.page), workflow_name(b.page)],
    ),
    "site history": OwnAndTheirs("/admin/reports/site-history/", lambda b: [], lambda b: [page_link(b.page)]),
    "dashboard": OwnAndTheirs("/admin/", lambda b: [], lambda b: [page_link(b.page), b.page.title]),
    "image listing": OwnAndTheirs(
        "/admin/images/",
        lambda b: [image_link(a_media(Image, b))],
        lambda b: [image_link(b.image), b.image.title],
    ),
    "image chooser": OwnAndTheirs(
        "/admin/images/chooser/",
        lambda b: [chosen_link(a_media(Image, b))],
        lambda b: [chosen_link(b.image), b.image.title],
    ),
    "image chooser results": OwnAndTheirs(
        "/admin/images/chooser/results/?q=DEMO",
        lambda b: [chosen_link(a_media(Image, b, "DEMO"))],
        lambda b: [chosen_link(b.image), b.image.title],
    ),
    "document listing": OwnAndTheirs(
        "/admin/documents/",
        lambda b: [f"/admin/documents/edit/{a_media(Document, b).pk}/"],
        lambda b: [f"/admin/documents/edit/{b.document.pk}/", b.document.title],
    ),
    "document chooser": OwnAndTheirs(
        "/admin/documents/chooser/",
        lambda b: [reverse("wagtaildocs_chooser:chosen", args=[a_media(Document, b).pk])],
        lambda b: [reverse("wagtaildocs_chooser:chosen", args=[b.document.pk]), b.document.title],
    ),
}


@pytest.mark.parametrize("case", PAGE_AND_MEDIA_LISTS)
def test_page_and_media_lists_show_own_and_never_the_other_cooperatives(client, a_user, b, case):
    spec = PAGE_AND_MEDIA_LISTS[case]
    client.force_login(a_user)
    url = spec.url(b) if callable(spec.url) else spec.url
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        body = response.json()["html"]
    for text in spec.shown(b):
        assert text in body, f"{url} should show {text}"
    for text in spec.hidden(b):
        assert text not in body, f"{url} shows {text}"


def test_the_only_place_a_member_may_add_an_article_is_their_own_page(client, a_user, b):
    client.force_login(a_user)
    response = client.get(reverse("wagtailadmin_pages:choose_parent", args=["cms", "articlepage"]))
    # One place only: Wagtail goes straight there (never to B's page, nor to the shop's news).
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/add/cms/articlepage/{b.a_page.pk}/"


@pytest.mark.parametrize(
    "endpoint, own, theirs",
    [
        ("pages/", lambda b: b.a_page.pk, lambda b: b.page.pk),
        ("pages/?child_of={index}", lambda b: b.a_page.pk, lambda b: b.page.pk),
        (
            "pages/?descendant_of={index_en}",
            lambda b: b.a_page.get_translation(b.page_en.locale).pk,
            lambda b: b.page_en.pk,
        ),
        ("pages/?search=HTX", lambda b: b.a_page.pk, lambda b: b.page.pk),
        ("images/?limit=20", lambda b: a_media(Image, b).pk, lambda b: b.image.pk),
        ("documents/?limit=20", lambda b: a_media(Document, b).pk, lambda b: b.document.pk),
    ],
)
def test_the_admin_api_lists_own_pages_and_media_only(client, a_user, b, endpoint, own, theirs):
    client.force_login(a_user)
    url = "/admin/api/main/" + endpoint.format(index=coop_index(b.page), index_en=coop_index(b.page_en))
    response = client.get(url)
    assert response.status_code == 200, response.content
    ids = {item["id"] for item in response.json()["items"]}
    assert own(b) in ids
    assert theirs(b) not in ids


# SHARED OBJECTS: the user of A sees only A's part
# ------------------------------------------------------------------------------
@pytest.fixture
def fair_of_both():
    """A fair whose attributed order has one line of each cooperative, at prices found nowhere else."""
    from shop.fairs.models import OrderAttribution
    from tests.factories import create_fair, create_product

    a = create_product(title="Điều của HTX A hội chợ", price=123000, partner_code="huucodongnai")
    b = create_product(title="Điều của HTX B hội chợ", price=987000, partner_code="bugiamap")
    fair = create_fair("HCM2026", products=[a, b])
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(a, 1)
    basket.add_product(b, 1)
    order = create_order(basket=basket)
    OrderAttribution.objects.create(
        order=order, fair_key=fair.translation_key, code=fair.code, source="link", touched_at=order.date_placed
    )
    return fair


@pytest.mark.parametrize("name", sorted(SHARED))
@pytest.mark.parametrize("query", ["", "?bang=san-pham", "?hop_tac_xa=bu-gia-map"])
def test_a_shared_object_shows_the_user_only_their_cooperatives_part(client, a_user, fair_of_both, name, query):
    client.force_login(a_user)
    response = client.get(reverse(name, kwargs=SHARED[name](fair_of_both)) + query)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "123000" in body or "123.000" in body, "A's own revenue is there"
    for text in ("987000", "987.000", "1110000", "1.110.000", "Điều của HTX B hội chợ", "Bù Gia Mập"):
        assert text not in body, text
