"""The shipping events staff record on lines (shop.order.statuses.SHIPPING_EVENT_NAMES)."""

from django.db import migrations

# Copied, not imported: a migration must not change when the module does.
EVENT_TYPES = {
    "da-giao-don-vi-van-chuyen": "Đã giao cho đơn vị vận chuyển",
    "khach-da-nhan-hang": "Khách đã nhận hàng",
}


def create_event_types(apps, schema_editor):
    ShippingEventType = apps.get_model("order", "ShippingEventType")
    for code, name in EVENT_TYPES.items():
        if not ShippingEventType.objects.filter(code=code).exists():
            ShippingEventType.objects.update_or_create(name=name, defaults={"code": code})


class Migration(migrations.Migration):
    dependencies = [("order", "0024_shipping_event_carrier_and_tracking")]

    operations = [migrations.RunPython(create_event_types, migrations.RunPython.noop)]
