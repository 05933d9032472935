"""The audit log: who changed what and when (django-auditlog), and how a change reads.

`AUDITED` lists the models whose every save and delete is logged field by field, with the
request's user as actor (`AuditActorMiddleware`) or none (management commands, background tasks).
Oscar moves stock with conditional UPDATEs that only *send* save signals (allocate, consume,
cancel); `_log_stock_adjustment` logs those from the values before and after.
Logging happens only on writes: reading a page never writes an entry.
"""

import sys
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, OneToOneField
from django.db.models.signals import post_save, pre_save
from django.utils import dateparse, formats, timezone
from django.utils.translation import gettext_lazy as _

from shop.order import statuses

# (app_label, model): auditlog.register() options. Timestamps that change on every save are left out.
AUDITED = {
    ("catalogue", "product"): {
        "exclude_fields": ["date_created", "date_updated", "rating"],
        "m2m_fields": {"certifications", "origin_zones"},
    },
    ("partner", "stockrecord"): {"exclude_fields": ["date_created", "date_updated"]},
    ("catalogue", "lot"): {"exclude_fields": ["updated_at", "events"], "m2m_fields": {"zones"}},
    ("catalogue", "traceevent"): {"m2m_fields": {"input_lots", "certifications"}},
    ("catalogue", "certification"): {"exclude_fields": ["updated_at"]},
    ("catalogue", "ocoprating"): {"exclude_fields": ["updated_at", "certification_ptr"]},
    ("order", "order"): {"include_fields": ["status"]},
    ("order", "line"): {"include_fields": ["status"]},
    ("order", "orderstatuschange"): {},
    ("catalogue", "cooperativemembership"): {},
}
# Fields holding đồng, shown through Oscar's currency filter.
MONEY_FIELDS = {("partner", "stockrecord"): {"price"}}
# Fields holding an order or line status (stored in Vietnamese), shown in the reader's language.
STATUS_FIELDS = {
    ("order", "order"): {"status"},
    ("order", "line"): {"status"},
    ("order", "orderstatuschange"): {"old_status", "new_status"},
}
STOCK_ADJUSTED_FIELDS = ("num_in_stock", "num_allocated")


def audited_models():
    return [apps.get_model(app_label, model) for app_label, model in AUDITED]


def register():
    """Register every audited model (called once from StaffConfig.ready)."""
    stockrecord = apps.get_model("partner", "StockRecord")
    # Before auditlog's own receivers, so an adjustment is recognised before auditlog looks at it.
    pre_save.connect(_remember_stock, sender=stockrecord, dispatch_uid="staff-audit-stock-before")
    pre_log.connect(_skip_stock_adjustment, sender=stockrecord, dispatch_uid="staff-audit-stock-skip")
    post_save.connect(_log_stock_adjustment, sender=stockrecord, dispatch_uid="staff-audit-stock-after")
    pre_save.connect(_note_source, sender=LogEntry, dispatch_uid="staff-audit-source")
    for (app_label, model), options in AUDITED.items():
        model_class = apps.get_model(app_label, model)
        if not auditlog.contains(model_class):
            auditlog.register(model_class, **options)


def _is_adjustment(kwargs):
    # Oscar's StockRecord.pre_save_signal()/post_save_signal() pass `created`; a real save's
    # pre_save never does.
    return "created" in kwargs and kwargs.get("update_fields") is None and not kwargs.get("raw")


def _remember_stock(sender, instance, **kwargs):
    if _is_adjustment(kwargs) and instance.pk:
        instance._audit_stock_before = {name: getattr(instance, name) for name in STOCK_ADJUSTED_FIELDS}
    else:  # a real save; an adjustment that failed (out of stock) left no post_save behind
        instance.__dict__.pop("_audit_stock_before", None)


def _skip_stock_adjustment(sender, instance, **kwargs):
    # auditlog would compare the row with an instance not yet refreshed; the post_save below logs it.
    return not hasattr(instance, "_audit_stock_before")


def _log_stock_adjustment(sender, instance, created, **kwargs):
    before = instance.__dict__.pop("_audit_stock_before", None)
    if before is None or created:
        return
    changes = {
        name: [before[name], getattr(instance, name)]
        for name in STOCK_ADJUSTED_FIELDS
        if before[name] != getattr(instance, name)
    }
    if changes:
        LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)


def _note_source(sender, instance, **kwargs):
    """Entries made outside a request say which command made them (the middleware sets requests')."""
    if instance.additional_data is None:
        command = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else ""
        instance.additional_data = {"command": command} if command else {"code": True}


# READING AN ENTRY
# ------------------------------------------------------------------------------
ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Tạo mới"),
    LogEntry.Action.UPDATE: _("Sửa"),
    LogEntry.Action.DELETE: _("Xoá"),
    LogEntry.Action.ACCESS: _("Xem"),
}


@dataclass
class Change:
    field: str
    old: object
    new: object
    money: bool = False


def _field(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # Reverse relations (a lot's events) have no value of their own here.
    return field if field.concrete or field.many_to_many else None


def _display(field, value, key, related):
    """One stored value as people read it (money stays a number; the template formats it)."""
    if value is None or value == "" or value == "None":
        return "—"
    if field is None:
        return str(value)
    if isinstance(field, ForeignKey | OneToOneField):
        obj = related.get((field.related_model, str(value)))
        return str(obj) if obj is not None else f"#{value}"
    if field.name in STATUS_FIELDS.get(key, ()):
        return statuses.label(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return _("Có") if value in (True, "True") else _("Không")
    if internal == "DateField":
        parsed = dateparse.parse_date(str(value))
        return formats.date_format(parsed, "SHORT_DATE_FORMAT") if parsed else str(value)
    if internal == "DateTimeField":
        parsed = dateparse.parse_datetime(str(value))
        if parsed:
            if timezone.is_naive(parsed):  # auditlog stores datetimes as naive UTC
                parsed = timezone.make_aware(parsed, UTC)
            return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
    return str(value)


def _money(value):
    if value in (None, "", "None"):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _m2m_text(value):
    objects = ", ".join(str(o) for o in value.get("objects", []))
    return ("+ " if value.get("operation") == "add" else "− ") + objects


def decorate(entries):
    """Give each entry `.model_label`, `.action_label`, `.change_list` (readable old → new values).

    Related objects named in the changes are fetched with one query per related model for the
    whole page, never one per row.
    """
    entries = list(entries)
    wanted = {}
    for entry in entries:
        model = entry.content_type.model_class()
        entry._model = model
        for name, values in (entry.changes or {}).items():
            field = _field(model, name) if model else None
            if isinstance(field, ForeignKey | OneToOneField) and isinstance(values, list | tuple):
                for value in values:
                    if value not in (None, "", "None"):
                        wanted.setdefault(field.related_model, set()).add(str(value))
    related = {}
    for related_model, pks in wanted.items():
        valid = []
        for pk in pks:
            try:
                valid.append(related_model._meta.pk.to_python(pk))
            except Exception:  # noqa: BLE001 - a stored value that is no longer a key is shown as is
                continue
        for pk, obj in related_model._default_manager.in_bulk(valid).items():
            related[(related_model, str(pk))] = obj
    for entry in entries:
        model = entry._model
        key = (model._meta.app_label, model._meta.model_name) if model else None
        entry.model_label = model._meta.verbose_name if model else entry.content_type.model
        entry.action_label = ACTION_LABELS.get(entry.action, entry.get_action_display())
        entry.change_list = []
        for name, values in (entry.changes or {}).items():
            if model and name == model._meta.pk.name:
                continue  # a new row's own id says nothing the object column does not
            field = _field(model, name) if model else None
            if field is None and model and name in {f.name for f in model._meta.get_fields()}:
                continue  # a reverse relation (a lot's events) carries no value of its own
            label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
            if isinstance(values, dict):  # many-to-many: objects added or removed
                entry.change_list.append(Change(label, "", _m2m_text(values)))
                continue
            old, new = values
            if name in MONEY_FIELDS.get(key, ()):
                change = Change(label, _money(old), _money(new), money=True)
            else:
                change = Change(label, _display(field, old, key, related), _display(field, new, key, related))
            if entry.action in (LogEntry.Action.CREATE, LogEntry.Action.DELETE):
                # A new or deleted row has one value per field: show it alone, and only if set.
                value = change.new if entry.action == LogEntry.Action.CREATE else change.old
                if value in (None, "—"):
                    continue
                change = Change(label, "", value, money=change.money)
            entry.change_list.append(change)
        data = entry.additional_data or {}
        entry.source = data.get("path") or (f"manage.py {data['command']}" if data.get("command") else "")
    return entries
