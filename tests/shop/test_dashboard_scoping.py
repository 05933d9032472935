"""Oscar's order dashboard, fulfilled per cooperative: an order with lines of both cooperatives.

Each cooperative sees only its own lines and its line actions (status, shipping event, payment
event) accept only its own lines; order-wide changes are the platform admin's.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shop.order import statuses

pytestmark = pytest.mark.django_db

User = get_user_model()
Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
ShippingEvent = get_model("order", "ShippingEvent")
PaymentEvent = get_model("order", "PaymentEvent")
ShippingEventType = get_model("order", "ShippingEventType")
Default = get_class("partner.strategy", "Default")
Cooperative = get_model("catalogue", "Cooperative")


@pytest.fixture
def mixed_order(bgm, hcdn):
    """One order, one line from each cooperative."""
    basket = Basket.objects.create()
    basket.strategy = Default()
    for cooperative in (bgm, hcdn):
        product = Product.objects.filter(
            cooperative=cooperative, structure="standalone", stockrecords__partner=cooperative.partner
        ).first()
        basket.add_product(product, 1)
    order = create_order(basket=basket)
    assert {line.partner for line in order.lines.all()} == {bgm.partner, hcdn.partner}
    return order


def own_and_other_line(order, cooperative):
    own = order.lines.get(partner=cooperative.partner)
    other = order.lines.exclude(partner=cooperative.partner).get()
    return own, other


def detail_url(order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def test_the_order_page_shows_only_own_lines(manager_client, mixed_order, hcdn):
    own, other = own_and_other_line(mixed_order, hcdn)
    response = manager_client.get(detail_url(mixed_order))
    assert response.status_code == 200
    assert list(response.context["lines"]) == [own]


def test_platform_admin_sees_every_line(admin_client, mixed_order):
    assert admin_client.get(detail_url(mixed_order)).context["lines"].count() == 2


def line_action(action, lines, **extra):
    data = {"line_action": action, "selected_line": [line.pk for line in lines]}
    data.update({f"selected_line_qty_{line.pk}": line.quantity for line in lines})
    data.update(extra)
    return data


def test_line_status_changes_only_own_lines(manager_client, mixed_order, hcdn):
    own, other = own_and_other_line(mixed_order, hcdn)
    change = line_action("change_line_statuses", [other], new_status=statuses.PROCESSING)
    manager_client.post(detail_url(mixed_order), change)
    assert other.__class__.objects.get(pk=other.pk).status == other.status
    # Smuggling the other line in beside an own line refuses the whole action.
    manager_client.post(detail_url(mixed_order), {**change, "selected_line": [own.pk, other.pk]})
    assert other.__class__.objects.get(pk=other.pk).status == other.status
    manager_client.post(
        detail_url(mixed_order), line_action("change_line_statuses", [own], new_status=statuses.PROCESSING)
    )
    assert own.__class__.objects.get(pk=own.pk).status == statuses.PROCESSING


def test_shipping_and_payment_events_only_on_own_lines(manager_client, mixed_order, hcdn):
    own, other = own_and_other_line(mixed_order, hcdn)
    event_type, _ = ShippingEventType.objects.get_or_create(code="shipped", defaults={"name": "Đã gửi hàng"})
    manager_client.post(
        detail_url(mixed_order),
        line_action("create_shipping_event", [other], shipping_event_type=event_type.code, reference="VN123"),
    )
    manager_client.post(detail_url(mixed_order), line_action("create_payment_event", [other], amount="1000"))
    assert not ShippingEvent.objects.filter(order=mixed_order).exists()
    assert not PaymentEvent.objects.filter(order=mixed_order).exists()


def test_order_wide_status_change_is_the_admins(manager_client, mixed_order):
    before = mixed_order.status
    manager_client.post(
        detail_url(mixed_order), {"order_action": "change_order_status", "new_status": statuses.CANCELLED}
    )
    manager_client.post(
        reverse("dashboard:order-list"),
        {"action": "change_order_statuses", "selected_order": [mixed_order.pk], "new_status": statuses.CANCELLED},
    )
    mixed_order.refresh_from_db()
    assert mixed_order.status == before
    assert all(line.status != statuses.CANCELLED for line in mixed_order.lines.all())


def test_a_note_is_still_allowed(manager_client, mixed_order):
    manager_client.post(detail_url(mixed_order), {"order_action": "save_note", "message": "Đã đóng gói phần của HTX"})
    assert mixed_order.notes.filter(message="Đã đóng gói phần của HTX").exists()


def test_the_other_cooperatives_line_page_is_not_found(manager_client, mixed_order, hcdn):
    own, other = own_and_other_line(mixed_order, hcdn)
    url = "dashboard:order-line-detail"
    assert (
        manager_client.get(reverse(url, kwargs={"number": mixed_order.number, "line_id": other.pk})).status_code == 404
    )
    assert manager_client.get(reverse(url, kwargs={"number": mixed_order.number, "line_id": own.pk})).status_code == 200


def test_a_cooperative_edits_only_its_own_notes(manager_client, mixed_order):
    admin_note = mixed_order.notes.create(message="Ghi chú của quản trị")
    url = reverse("dashboard:order-detail-note", kwargs={"number": mixed_order.number, "note_id": admin_note.pk})
    assert manager_client.get(url).status_code == 404
    manager_client.post(url, {"order_action": "save_note", "message": "Đã bị sửa"})
    admin_note.refresh_from_db()
    assert admin_note.message == "Ghi chú của quản trị"
