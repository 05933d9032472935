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
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from catalog.models import Certification, Cooperative, CooperativeMembership, Lot, OcopRating, RawMaterialZone
from catalog.scoping import scope

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


# URL name -> kwargs naming cooperative B's object.
MAPPED = {
    **snippet("cooperative", lambda b: b.cooperative),
    **snippet("rawmaterialzone", lambda b: b.zone),
    **snippet("certification", lambda b: b.certification),
    **snippet("ocoprating", lambda b: b.ocop),
    **snippet("lot", lambda b: b.lot),
    "product_chooser:chosen": lambda b: {"pk": b.product.pk},
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
    "wagtailadmin_pages:": "no page permissions for cooperative roles yet (CooperativePage subtrees: later step)",
    "wagtailadmin_explore": "no page permissions for cooperative roles yet",
    "wagtailadmin_choose_page_child": "no page permissions for cooperative roles yet",
    "wagtailadmin_workflows:": "workflows are the platform admin's",
    "wagtailadmin_collections:": "collections are the platform admin's",
    "wagtailimages:": "no image permissions for cooperative roles yet (own media: later step)",
    "wagtaildocs:": "no document permissions for cooperative roles yet (own media: later step)",
    "wagtailforms:": "form submissions are the platform admin's",
    "wagtailredirects:": "redirects are the platform admin's",
    "wagtailsettings:": "site settings are the platform admin's",
    "wagtailsites:": "sites are the platform admin's",
    "wagtaillocales:": "locales are the platform admin's",
    "wagtailusers_users:": "user accounts are the platform admin's",
    "wagtailusers_groups:": "groups are the platform admin's",
    "wagtail_localize:": "translation is the platform admin's",
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
    "wagtailadmin_choose_page_child": "Wagtail's page chooser shows every admin user the page tree's "
    "titles; pages are not cooperative-owned yet (CooperativePage subtree scoping is a later step)",
    "wagtailadmin_pages:move_confirm": "GET only renders a confirmation; pages are not cooperative-owned "
    "yet and the move itself checks page permissions, which cooperative roles do not have",
    "wagtailadmin_pages:confirm_workflow_cancellation": "answers whether a workflow would be cancelled; "
    "no page content; pages are not cooperative-owned yet",
    "wagtailadmin_workflows:task_chosen": "workflow task names only; workflows are the platform admin's "
    "and cooperative roles have none",
    "wagtailadmin_api:pages:detail": "pages are not cooperative-owned yet (CooperativePage subtree scoping "
    "is a later step); Wagtail's admin API lets every admin user read pages",
    "wagtailadmin_api:pages:action": "page actions check page permissions, which cooperative roles do not have",
    "wagtailadmin_api:images:detail": "media is not cooperative-owned yet (a later step)",
    "wagtailadmin_api:documents:detail": "media is not cooperative-owned yet (a later step)",
    "wagtailimages_chooser:chosen": "media is not cooperative-owned yet (a later step)",
    "wagtailimages_chooser:select_format": "media is not cooperative-owned yet (a later step)",
    "wagtaildocs_chooser:chosen": "media is not cooperative-owned yet (a later step)",
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
]


def snapshot(b):
    """Row counts, plus every field of B's objects (updated_at included where a model has one)."""
    counts = {model.__name__: model._default_manager.count() for model in SNAPSHOT_MODELS}
    rows = {
        model.__name__: list(model._default_manager.filter(pk=obj.pk).values())
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
        ]
    }
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
    assert refused(response), f"POST {url} answered {response.status_code}"
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
