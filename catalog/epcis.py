"""EPCIS 2.0 JSON-LD export of trace events (GS1 EPCIS/CBV 2.0).

A lot is a class of product instances: it appears as a quantity of its GS1 Digital Link
(`https://<resolver>/01/<gtin>/10/<lot>`). CBV has no harvesting, drying, shelling or roasting
step, so those use our own vocabulary, published at /truy-xuat/tu-vung/.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Lot, TraceEvent

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
MEDIA_TYPE = "application/ld+json"

Step = TraceEvent.Step
# CBV 2.0 business steps where one fits; None means "our own vocabulary".
CBV_BIZ_STEP = {
    Step.HARVEST: "commissioning",
    Step.QC: "inspecting",
    Step.PACKING: "packing",
    Step.SHIPPING: "shipping",
}
CBV_DISPOSITION = {
    Step.HARVEST: "active",
    Step.QC: "conformant",
    Step.SHIPPING: "in_transit",
}
UNIT_UOM = {Lot.Unit.KG: "KGM"}  # UN/CEFACT codes; bags and boxes are counts (no uom)


def absolute(path: str) -> str:
    return settings.GS1_RESOLVER_BASE + path


def vocabulary_uri(step: str) -> str:
    with translation.override("vi"):
        return absolute(reverse("trace:vocabulary")) + f"#{step}"


def lot_epc_class(lot) -> str:
    return lot.digital_link or absolute(_vi_url(lot))


def _vi_url(obj) -> str:
    with translation.override("vi"):
        return obj.get_absolute_url()


def _quantity(lot) -> dict:
    element = {"epcClass": lot_epc_class(lot)}
    if lot.quantity is not None:
        element["quantity"] = float(Decimal(lot.quantity))
        if lot.unit in UNIT_UOM:
            element["uom"] = UNIT_UOM[lot.unit]
    return element


def _event_id(event) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, absolute(f'/trace-event/{event.pk}'))}"


def event_json(event) -> dict:
    """One trace event as an EPCIS 2.0 ObjectEvent, or a TransformationEvent when it used input lots."""
    inputs = list(event.input_lots.all())
    data = {
        "eventTime": event.local_time.isoformat(timespec="seconds"),
        "eventTimeZoneOffset": event.time_zone_offset,
        "eventID": _event_id(event),
    }
    if inputs:
        data["type"] = "TransformationEvent"
        data["inputQuantityList"] = [_quantity(lot) for lot in inputs]
        data["outputQuantityList"] = [_quantity(event.lot)]
    else:
        data["type"] = "ObjectEvent"
        data["action"] = "ADD" if event.step == Step.HARVEST else "OBSERVE"
        data["quantityList"] = [_quantity(event.lot)]
    data["bizStep"] = CBV_BIZ_STEP.get(event.step) or vocabulary_uri(event.step)
    if event.step in CBV_DISPOSITION:
        data["disposition"] = CBV_DISPOSITION[event.step]
    place = event.zone or event.lot.product.cooperative
    if place is not None:
        location = {"id": absolute(_vi_url(place))}
        data["readPoint"] = location
        data["bizLocation"] = dict(location)
    certificates = [absolute(_vi_url(c)) for c in event.certifications.all()]
    if certificates:
        data["certificationInfo"] = certificates
    if data["type"] == "ObjectEvent" and data["action"] == "ADD":
        data["ilmd"] = _ilmd(event.lot)
    return data


def _ilmd(lot) -> dict:
    """Lot master data recorded when the lot is created (CBV master data attributes)."""
    ilmd = {"cbvmda:lotNumber": lot.code}
    if lot.best_before:
        ilmd["cbvmda:bestBeforeDate"] = lot.best_before.isoformat()
    return ilmd


def document(events) -> dict:
    """An EPCISDocument with the events in time order."""
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(timespec="seconds"),
        "epcisBody": {"eventList": [event_json(e) for e in events]},
    }
