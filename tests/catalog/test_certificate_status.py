"""A certificate's status is derived from its dates as of a day, in one place: Certification.status()."""

from datetime import date, timedelta

import pytest

from catalog.models import EXPIRY_WARNING_DAYS, CertificateStatus, Certification, OcopRating, add_months

DAY = date(2026, 6, 15)
S = CertificateStatus


def cert(**dates):
    return Certification(kind=Certification.Kind.VIETGAP, number="T-1", certifying_body="B", **dates)


BOUNDARY_CASES = [
    ({"expires_on": DAY}, S.EXPIRING),  # expires today: still in force, last day
    ({"expires_on": DAY + timedelta(days=EXPIRY_WARNING_DAYS)}, S.EXPIRING),  # 60 days
    ({"expires_on": DAY + timedelta(days=EXPIRY_WARNING_DAYS + 1)}, S.VALID),  # 61 days
    ({"expires_on": DAY - timedelta(days=1)}, S.EXPIRED),  # expired yesterday
    ({}, S.VALID),  # no expiry date (e.g. USDA organic)
    ({"valid_from": DAY - timedelta(days=400), "expires_on": None}, S.VALID),
    ({"valid_from": DAY + timedelta(days=1)}, S.NOT_YET_VALID),
    ({"valid_from": DAY}, S.VALID),
    ({"suspended_from": DAY}, S.SUSPENDED),  # suspended from today
    ({"suspended_from": DAY - timedelta(days=30), "suspended_until": DAY}, S.SUSPENDED),  # last day of suspension
    ({"suspended_from": DAY - timedelta(days=30), "suspended_until": DAY - timedelta(days=1)}, S.VALID),  # lifted
    ({"suspended_from": DAY + timedelta(days=1)}, S.VALID),  # suspension starts tomorrow
    ({"withdrawn_on": DAY}, S.WITHDRAWN),
    ({"withdrawn_on": DAY + timedelta(days=1)}, S.VALID),  # withdrawn tomorrow
    ({"withdrawn_on": DAY - timedelta(days=5), "suspended_from": DAY - timedelta(days=10)}, S.WITHDRAWN),
    ({"suspended_from": DAY - timedelta(days=1), "expires_on": DAY - timedelta(days=1)}, S.SUSPENDED),
]


@pytest.mark.parametrize(("dates", "expected"), BOUNDARY_CASES)
def test_status_on_boundary_dates(dates, expected):
    assert cert(**dates).status(DAY) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("dates", [dates for dates, _expected in BOUNDARY_CASES])
def test_in_force_query_agrees_with_status(dates):
    """The catalogue filters query `in_force`; it must say what status() says on every boundary."""
    from catalog.models import Cooperative

    saved = cert(cooperative=Cooperative.objects.first(), **dates)
    saved.save()
    in_force = Certification.objects.in_force(DAY).filter(pk=saved.pk).exists()
    assert in_force == (saved.status(DAY) in {S.VALID, S.EXPIRING})


def test_status_defaults_to_today_in_vietnam(settings):
    from django.utils import timezone

    today = timezone.localdate()
    assert cert(expires_on=today).current_status == S.EXPIRING
    assert cert(expires_on=today - timedelta(days=1)).status() == S.EXPIRED


def test_in_force_statuses():
    from catalog.models import IN_FORCE

    assert IN_FORCE == {S.VALID, S.EXPIRING}


@pytest.mark.parametrize(
    ("decided", "expires"),
    [
        (date(2024, 5, 10), date(2027, 5, 10)),
        (date(2024, 2, 29), date(2027, 2, 28)),
        (date(2023, 12, 31), date(2026, 12, 31)),
    ],
)
def test_ocop_default_expiry_is_decision_plus_36_months(decided, expires):
    assert add_months(decided, 36) == expires
    rating = OcopRating(stars=4, number="D", certifying_body="UBND", issued_on=decided)
    rating.apply_defaults()
    assert rating.expires_on == expires
    assert rating.valid_from == decided
    assert rating.kind == Certification.Kind.OCOP


def test_ocop_keeps_an_explicit_expiry():
    rating = OcopRating(
        stars=3, number="D", certifying_body="UBND", issued_on=date(2024, 1, 1), expires_on=date(2025, 1, 1)
    )
    rating.apply_defaults()
    assert rating.expires_on == date(2025, 1, 1)
