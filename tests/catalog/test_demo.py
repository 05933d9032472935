"""seed_demo's traceability samples: enough to show every state, all marked as samples, idempotent."""

import os

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from catalog.models import CertificateStatus, Certification, Lot, OcopRating, TraceEvent

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


def test_every_product_has_two_lots_with_timelines():
    for product in Product.objects.filter(upc__startswith="DEMO-"):
        lots = list(product.lots.all())
        assert len(lots) >= 2, product.upc
        for lot in lots:
            steps = set(lot.events.values_list("step", flat=True))
            assert {"qc", "packing", "shipping"} <= steps
            if not lot.events.filter(input_lots__isnull=False).exists():
                assert {"harvest", "drying", "shelling", "grading"} <= steps


def test_one_lot_recalled_and_one_on_hold():
    assert Lot.objects.filter(status=Lot.Status.RECALLED).count() == 1
    assert Lot.objects.filter(status=Lot.Status.ON_HOLD).count() == 1


def test_everything_is_marked_as_a_sample():
    assert all(code.startswith("DEMO-") and len(code) <= 20 for code in Lot.objects.values_list("code", flat=True))
    assert all(n.startswith("DEMO-") for n in Certification.objects.values_list("number", flat=True))
    # GS1 prefix 200-299: restricted circulation numbers, never a registered company's GTIN.
    gtins = list(Product.objects.filter(upc__startswith="DEMO-").values_list("gtin", flat=True))
    assert all(g and g.startswith("02") and 200 <= int(g[1:4]) <= 299 for g in gtins)


def test_demo_shows_every_certificate_state():
    states = {c.status() for c in Certification.objects.all()}
    assert {
        CertificateStatus.VALID,
        CertificateStatus.EXPIRING,
        CertificateStatus.EXPIRED,
        CertificateStatus.SUSPENDED,
    } <= states
    assert OcopRating.objects.count() >= 5


def test_seed_twice_keeps_the_counts():
    def counts():
        return tuple(m.objects.count() for m in (Lot, TraceEvent, Certification, OcopRating))

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    before = counts()
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    assert counts() == before
