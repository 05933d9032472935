"""The two order emails as communication event types, so each sending is recorded on the order.

The templates stay in files (templates/oscar/communication/emails/), in both languages: the
template fields are left NULL, which tells Oscar to use the files.
"""

from django.db import migrations

EVENT_TYPES = {
    "ORDER_PLACED": "Xác nhận đơn hàng",
    "ORDER_STATUS_CHANGED": "Đơn hàng đổi trạng thái",
}


def add_event_types(apps, schema_editor):
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EVENT_TYPES.items():
        CommunicationEventType.objects.get_or_create(code=code, defaults={"name": name, "category": "Order related"})


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0022_language_and_vietnamese_divisions"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [
        migrations.RunPython(add_event_types, migrations.RunPython.noop),
    ]
