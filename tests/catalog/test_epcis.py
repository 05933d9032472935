"""The EPCIS 2.0 export validates against GS1's JSON schema (a copy kept in tests/catalog/data)."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from catalog.models import Lot

pytestmark = pytest.mark.django_db
# Copied from GS1's EPCIS repository (EPCIS-JSON-Schema.json, draft-07); the tests never read ../shared.
SCHEMA = json.loads((Path(__file__).parent / "data" / "EPCIS-JSON-Schema.json").read_text())
VALIDATOR = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)


def errors(document):
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_the_schema_check_is_not_vacuous():
    assert "uri" in VALIDATOR.format_checker.checkers and "date-time" in VALIDATOR.format_checker.checkers
    bad = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "yesterday",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventTime": "2025-01-01T00:00:00+07:00",
                    "eventTimeZoneOffset": "+7",
                    "action": "ADD",
                }
            ]
        },
    }
    assert len(errors(bad)) >= 3  # creationDate, offset, and no epcList/quantityList


def test_lot_export_is_valid_epcis(client, demo_lot):
    response = client.get(f"/truy-xuat/lo/{demo_lot.pk}/epcis.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert errors(document) == []
    events = document["epcisBody"]["eventList"]
    assert len(events) == demo_lot.events.count()
    assert all(e["eventTimeZoneOffset"] == "+07:00" and e["eventTime"].endswith("+07:00") for e in events)
    assert [e["eventTime"] for e in events] == sorted(e["eventTime"] for e in events)
    harvest = events[0]
    assert (harvest["type"], harvest["action"], harvest["bizStep"]) == ("ObjectEvent", "ADD", "commissioning")
    assert harvest["quantityList"][0]["epcClass"] == demo_lot.digital_link
    assert harvest["ilmd"]["cbvmda:lotNumber"] == demo_lot.code
    assert harvest["certificationInfo"]
    steps = {e["bizStep"] for e in events}
    assert {"packing", "shipping", "inspecting"} <= steps
    assert any(step.endswith("/truy-xuat/tu-vung/#drying") for step in steps)
    assert len({e["eventID"] for e in events}) == len(events)


def test_a_lot_made_from_other_lots_exports_a_transformation(client):
    gift = Lot.objects.get(code="DEMO-BGM06-A")
    document = client.get(f"/truy-xuat/lo/{gift.pk}/epcis.jsonld").json()
    assert errors(document) == []
    transformations = [e for e in document["epcisBody"]["eventList"] if e["type"] == "TransformationEvent"]
    assert len(transformations) == 1
    source = Lot.objects.get(code="DEMO-BGM01-A")
    assert transformations[0]["inputQuantityList"][0]["epcClass"] == source.digital_link
    assert transformations[0]["outputQuantityList"][0]["epcClass"] == gift.digital_link
    # One step back: the input lot's own events come with it.
    assert len(document["epcisBody"]["eventList"]) == gift.events.count() + source.events.count()


def test_product_export_covers_its_public_lots(client, demo_lot):
    product = demo_lot.product
    document = client.get(f"/truy-xuat/san-pham/{product.pk}/epcis.jsonld").json()
    assert errors(document) == []
    expected = sum(lot.events.count() for lot in Lot.objects.public().filter(product=product))
    assert len(document["epcisBody"]["eventList"]) == expected
