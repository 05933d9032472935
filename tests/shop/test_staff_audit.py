"""The audit log (shop.staff.audit, django-auditlog): who changed what, through every path, and
the platform admin's report of it (Reports → Nhật ký thay đổi)."""

from datetime import date, datetime

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms import BooleanField, FileField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from catalog.models import Certification, Cooperative, Lot, OcopRating
from shop.order import statuses
from shop.partner import stock
from tests.shop.product_forms import page_data, stock_row

pytestmark = pytest.mark.django_db

User = get_user_model()
Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderStatusChange = get_model("order", "OrderStatusChange")
Default = get_class("partner.strategy", "Default")


BASELINE = 0


@pytest.fixture(autouse=True)
def since():
    """Entries made by this test only (seed_demo's own creations are logged too)."""
    global BASELINE
    BASELINE = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def entries_for(obj, **filters):
    content_type = ContentType.objects.get_for_model(type(obj))
    return LogEntry.objects.filter(
        content_type=content_type, object_pk=str(obj.pk), pk__gt=BASELINE, **filters
    ).order_by("pk")


def form_data(context, form_name="form", formsets=()):
    """POST data re-submitting an edit form (and its formsets) as the browser would, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, FileField):
                continue
            if isinstance(bound.field, BooleanField):
                if value:
                    data[bound.html_name] = "on"
                continue
            if value is None:
                value = ""
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                data[bound.html_name] = local.strftime("%Y-%m-%d %H:%M")
            elif isinstance(value, date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)

    form = context[form_name]
    add(form)
    nested = list(getattr(form, "formsets", {}).values()) + [context[name] for name in formsets]
    for formset in nested:
        add(formset.management_form)
        # Only the saved rows; the empty extra rows are left out, as if the browser had not added them.
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for subform in formset.forms[: formset.initial_form_count()]:
            add(subform)
    return data


@pytest.fixture
def admin_user():
    return User.objects.get(username="admin")


# THROUGH THE STAFF SCREENS: the actor is the user
# ------------------------------------------------------------------------------
def test_a_lot_and_its_events_edited_in_the_wagtail_admin(client, clerk, bgm):
    lot = Lot.objects.filter(product__cooperative=bgm).exclude(events=None).first()
    client.force_login(clerk)
    url = f"/admin/snippets/catalogue/lot/edit/{lot.pk}/"
    data = form_data(client.get(url).context)
    data["status"] = "on_hold"
    data["status_note"] = "Chờ kết quả kiểm nghiệm"
    data["events-0-place"] = "Xưởng mới"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    entry = entries_for(lot, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == clerk
    assert entry.changes["status"] == ["released", "on_hold"]
    assert entry.additional_data["path"] == url
    event = lot.events.order_by("occurred_at", "pk").first()
    event_entry = entries_for(event, action=LogEntry.Action.UPDATE).get()
    assert event_entry.actor == clerk and event_entry.changes["place"][1] == "Xưởng mới"


@pytest.mark.parametrize("model", [Certification, OcopRating])
def test_a_certificate_edited_in_the_wagtail_admin(client, clerk, bgm, model):
    certificate = model.objects.filter(cooperative=bgm).exclude(kind="ocop" if model is Certification else "").first()
    client.force_login(clerk)
    url = f"/admin/snippets/catalogue/{model._meta.model_name}/edit/{certificate.pk}/"
    data = form_data(client.get(url).context)
    data["certifying_body"] = "Tổ chức chứng nhận mới"
    if model is OcopRating:
        data["stars"] = "5" if certificate.stars != 5 else "4"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    entry = entries_for(certificate, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == clerk
    assert entry.changes["certifying_body"][1] == "Tổ chức chứng nhận mới"
    if model is OcopRating:
        assert entry.changes["stars"] == [certificate.stars, int(data["stars"])]


def test_a_price_changed_in_the_oscar_dashboard(client, admin_user, bgm):
    product = Product.objects.filter(cooperative=bgm, structure="standalone", stockrecords__isnull=False).first()
    record = product.stockrecords.get()
    client.force_login(admin_user)
    url = f"/shop/dashboard/catalogue/products/{product.pk}/"
    context = client.get(url).context
    data = page_data(
        context, **stock_row(context, 0, price=str(int(record.price) + 5000), num_in_stock=str(record.num_in_stock + 3))
    )
    response = client.post(url, data)
    assert response.status_code == 302, [
        (name, getattr(response.context.get(name), "errors", None)) for name in ("form", "stockrecord_formset")
    ]
    entry = entries_for(record, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin_user
    old_price, new_price = entry.changes["price"]
    assert int(float(new_price)) - int(float(old_price)) == 5000
    assert entry.changes["num_in_stock"] == [record.num_in_stock, record.num_in_stock + 3]


def mixed_order():
    basket = Basket.objects.create()
    basket.strategy = Default()
    for cooperative in Cooperative.objects.all():
        product = Product.objects.filter(
            cooperative=cooperative, structure="standalone", stockrecords__partner=cooperative.partner
        ).first()
        basket.add_product(product, 1)
    return create_order(basket=basket)


def test_a_line_status_changed_in_the_oscar_dashboard(client, clerk, bgm):
    order = mixed_order()
    line = order.lines.get(partner=bgm.partner)
    client.force_login(clerk)
    response = client.post(
        f"/shop/dashboard/orders/{order.number}/",
        {
            "line_action": "change_line_statuses",
            "selected_line": [line.pk],
            f"selected_line_qty_{line.pk}": line.quantity,
            "new_status": statuses.PROCESSING,
        },
    )
    assert response.status_code == 302
    entry = entries_for(line, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == clerk
    assert entry.changes == {"status": [statuses.PLACED, statuses.PROCESSING]}


def test_an_order_status_change_and_oscars_record_of_it(client, admin_user):
    order = mixed_order()
    client.force_login(admin_user)
    client.post(
        f"/shop/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": statuses.PROCESSING},
    )
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    assert entries_for(order, action=LogEntry.Action.UPDATE).get().actor == admin_user
    status_change = OrderStatusChange.objects.get(order=order)
    created = entries_for(status_change, action=LogEntry.Action.CREATE).get()
    assert created.actor == admin_user
    assert created.changes["new_status"][1] == statuses.PROCESSING
    # The cascade to every line is logged too, with the same actor.
    for line in order.lines.all():
        assert entries_for(line, action=LogEntry.Action.UPDATE).get().actor == admin_user


# THROUGH CODE: no request, no actor, still logged
# ------------------------------------------------------------------------------
def test_changes_made_by_code_are_logged_without_an_actor(bgm):
    record = StockRecord.objects.filter(partner=bgm.partner).first()
    record.price = record.price + 1000
    record.save()
    entry = entries_for(record, action=LogEntry.Action.UPDATE).get()
    assert entry.actor is None and entry.remote_addr is None
    assert entry.additional_data == {"code": True}
    lot = Lot.objects.filter(product__cooperative=bgm).first()
    lot.status = Lot.Status.RECALLED
    lot.save()
    assert entries_for(lot, action=LogEntry.Action.UPDATE).get().actor is None


def test_the_checkout_path_logs_the_order_its_lines_and_the_stock_it_takes(bgm):
    record = StockRecord.objects.filter(partner=bgm.partner, product__structure="standalone").first()
    before = record.num_allocated
    reservation = stock.reserve({record.pk: 2})
    entry = entries_for(record).last()
    assert entry.changes == {"num_allocated": [before, (before or 0) + 2]}
    stock.release(reservation)
    assert entries_for(record).last().changes == {"num_allocated": [(before or 0) + 2, before or 0]}
    order = mixed_order()
    assert entries_for(order, action=LogEntry.Action.CREATE).get().changes == {"status": [None, statuses.PLACED]}
    for line in order.lines.all():
        assert entries_for(line, action=LogEntry.Action.CREATE).exists()


def test_a_failed_allocation_logs_nothing_and_leaves_no_trace_on_the_next_save(bgm):
    from shop.partner.exceptions import InsufficientStock

    record = StockRecord.objects.filter(partner=bgm.partner).first()
    with pytest.raises(InsufficientStock):
        record.allocate(record.num_in_stock + 1000)
    assert not entries_for(record).exists()
    record.low_stock_threshold = 7
    record.save()
    assert entries_for(record).get().changes["low_stock_threshold"][1] == 7


def test_a_management_command_is_named_as_the_source(bgm, monkeypatch):
    monkeypatch.setattr("sys.argv", ["manage.py", "import_products", "x.csv"])
    lot = Lot.objects.filter(product__cooperative=bgm).first()
    lot.quantity = 321
    lot.save()
    assert entries_for(lot).get().additional_data == {"command": "import_products"}


# COST
# ------------------------------------------------------------------------------
def test_reading_pages_writes_no_entry(client, clerk, bgm):
    lot = Lot.objects.filter(product__cooperative=bgm, is_public=True).first()
    product = lot.product
    before = LogEntry.objects.count()
    for url in ["/", "/shop/catalogue/", product.get_absolute_url(), lot.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    client.force_login(clerk)
    for url in [
        "/admin/",
        "/admin/snippets/catalogue/lot/",
        f"/admin/snippets/catalogue/lot/edit/{lot.pk}/",
        "/shop/dashboard/orders/",
        "/shop/dashboard/catalogue/",
    ]:
        assert client.get(url).status_code == 200, url
    assert LogEntry.objects.count() == before


def test_logging_costs_two_queries_per_changed_row(bgm):
    """Per status change: auditlog's read of the row as stored, and the entry; nothing else.

    (The entry names the line by its product: a caller that did not load the product pays one more.)
    """
    lines = [line for order in (mixed_order(), mixed_order()) for line in order.lines.select_related("product")]

    def change_all(status):
        with CaptureQueriesContext(connection) as queries:
            for line in lines:
                line.set_status(status)
        return len(queries)

    with disable_auditlog():
        without = change_all(statuses.PROCESSING)
    with_audit = change_all(statuses.SHIPPED)
    assert with_audit - without == 2 * len(lines)


def test_a_csv_import_logs_what_it_changed_and_nothing_else(client):
    from tests.shop.test_product_import import CONFIRM_URL, exported, rows_of, to_csv, upload

    manager = User.objects.get(username="huucodongnai")
    client.force_login(manager)
    rows = rows_of(exported(client))
    rows[0]["price"] = "123.000"
    response = upload(client, to_csv(rows))
    assert client.post(CONFIRM_URL, {"token": response.context["token"]}).status_code == 302
    new_entries = LogEntry.objects.filter(pk__gt=BASELINE)
    record = StockRecord.objects.get(partner__code="huucodongnai", partner_sku=rows[0]["sku"])
    entry = entries_for(record, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == manager and int(float(entry.changes["price"][1])) == 123000
    # The unchanged rows of the file left no entry.
    assert set(new_entries.values_list("object_pk", flat=True)) <= {str(record.pk), str(record.product_id)}
