"""Traceability models: one-filter scoping per cooperative, document hashes, coarse zone locations."""

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from oscar.core.loading import get_model

from catalog.models import (
    Certification,
    Cooperative,
    CooperativeFigure,
    Lot,
    OcopRating,
    RawMaterialZone,
    TraceEvent,
)

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Cooperative.objects,
        lambda: CooperativeFigure.objects,
        lambda: RawMaterialZone.objects,
        lambda: Certification.objects,
        lambda: OcopRating.objects,
        lambda: Product.objects,
        lambda: Lot.objects,
        lambda: TraceEvent.objects,
    ],
)
def test_every_queryset_scopes_to_one_cooperative_with_one_filter(queryset, bgm, hcdn):
    ours = queryset().for_cooperative(bgm)
    theirs = queryset().for_cooperative(hcdn)
    assert ours.exists() and theirs.exists()
    assert not set(ours.values_list("pk", flat=True)) & set(theirs.values_list("pk", flat=True))
    assert (
        ours.count() + theirs.count()
        == queryset()
        .filter(pk__in=list(ours.values_list("pk", flat=True)) + list(theirs.values_list("pk", flat=True)))
        .count()
    )


def test_lot_and_event_scoping_follow_the_product(bgm):
    for lot in Lot.objects.for_cooperative(bgm).select_related("product"):
        assert lot.product.cooperative_id == bgm.pk
    assert not TraceEvent.objects.for_cooperative(bgm).exclude(lot__product__cooperative=bgm).exists()


def test_document_sha256_is_computed_on_save_and_on_replace(bgm):
    cert = Certification(kind="vietgap", number="T-HASH", certifying_body="B", cooperative=bgm)
    cert.document.save("a.pdf", ContentFile(b"first version"), save=False)
    cert.save()
    assert cert.document_sha256 == hashlib.sha256(b"first version").hexdigest()
    cert.refresh_from_db()
    cert.save()  # unchanged file: hash kept without re-reading
    assert cert.document_sha256 == hashlib.sha256(b"first version").hexdigest()
    cert.document.save("b.pdf", ContentFile(b"second version"), save=True)
    cert.refresh_from_db()
    assert cert.document_sha256 == hashlib.sha256(b"second version").hexdigest()
    cert.document.delete(save=True)
    assert cert.document_sha256 == ""


def test_certificate_holder_must_belong_to_the_cooperative(bgm, hcdn):
    zone = RawMaterialZone.objects.filter(cooperative=hcdn).first()
    cert = Certification(kind="vietgap", number="T-X", certifying_body="B", cooperative=bgm, zone=zone)
    with pytest.raises(ValidationError) as excinfo:
        cert.full_clean()
    assert "zone" in excinfo.value.message_dict
    assert cert.holder == zone


def test_ocop_is_entered_with_stars_not_as_a_plain_certificate(bgm):
    with pytest.raises(ValidationError) as excinfo:
        Certification(kind="ocop", number="T-O", certifying_body="B", cooperative=bgm).full_clean()
    assert "kind" in excinfo.value.message_dict


def test_ocop_rating_takes_its_cooperative_from_the_product(demo_lot):
    from datetime import date

    rating = OcopRating(
        product=demo_lot.product, stars=5, number="T-OCOP", certifying_body="Bộ NN", issued_on=date(2025, 1, 1)
    )
    rating.full_clean()
    rating.save()
    assert rating.cooperative_id == demo_lot.product.cooperative_id
    assert rating.expires_on == date(2028, 1, 1)
    assert Certification.objects.get(pk=rating.pk).is_ocop


@pytest.mark.parametrize("stars", [2, 6])
def test_ocop_stars_are_three_to_five(demo_lot, stars):
    from datetime import date

    rating = OcopRating(
        product=demo_lot.product, stars=stars, number="T", certifying_body="B", issued_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        rating.full_clean()
    assert "stars" in excinfo.value.message_dict


def test_zone_location_is_coarse(bgm):
    zone = RawMaterialZone(
        cooperative=bgm,
        code="T-Z",
        name="z",
        commune="c",
        province="p",
        area_ha=1,
        latitude=Decimal("12.051234"),
        longitude=Decimal("107.02"),
    )
    with pytest.raises(ValidationError) as excinfo:
        zone.full_clean()
    assert "latitude" in excinfo.value.message_dict


def test_event_keeps_its_offset(demo_lot):
    event = demo_lot.events.order_by("occurred_at").first()
    assert event.time_zone_offset == "+07:00"
    assert event.local_time.utcoffset().total_seconds() == 7 * 3600
    assert event.local_time.isoformat().endswith("+07:00")
