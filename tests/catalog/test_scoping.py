"""Roles and the one permission helper: who belongs to which cooperative, and what `scope` lets them see."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from oscar.core.loading import get_model

from catalog import scoping
from catalog.models import (
    Certification,
    Cooperative,
    CooperativeFigure,
    CooperativeMembership,
    Lot,
    OcopRating,
    RawMaterialZone,
    TraceEvent,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
Product = get_model("catalogue", "Product")
SCOPED_MODELS = [Cooperative, CooperativeFigure, RawMaterialZone, Certification, OcopRating, Lot, TraceEvent, Product]


def test_seed_demo_makes_each_demo_account_a_member_of_its_cooperative(clerk, manager, bgm, hcdn):
    assert (clerk.cooperative_membership.cooperative, clerk.cooperative_membership.role) == (bgm, "staff")
    assert (manager.cooperative_membership.cooperative, manager.cooperative_membership.role) == (hcdn, "manager")
    # The role's group (model permissions) and the cooperative's group for that role (its page and media).
    assert set(clerk.groups.values_list("name", flat=True)) == {"Nhân viên HTX", f"{bgm.name} · Nhân viên HTX"}
    assert set(manager.groups.values_list("name", flat=True)) == {"Quản lý HTX", f"{hcdn.name} · Quản lý HTX"}
    assert list(clerk.partners.all()) == [bgm.partner]
    assert list(manager.partners.all()) == [hcdn.partner]
    # Oscar opens its platform-wide dashboard sections to is_staff: members never are.
    assert not clerk.is_staff and not manager.is_staff


def test_seed_demo_stays_idempotent(clerk):
    before = (CooperativeMembership.objects.count(), Group.objects.count(), clerk.groups.count())
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    assert (CooperativeMembership.objects.count(), Group.objects.count(), clerk.groups.count()) == before


def test_role_permissions(clerk, manager):
    for user in (clerk, manager):
        assert user.has_perms(["wagtailadmin.access_admin", "partner.dashboard_access", "catalogue.add_lot"])
        assert not user.has_perm("catalogue.add_cooperative")
    assert not clerk.has_perm("catalogue.delete_lot") and not clerk.has_perm("catalogue.change_cooperative")
    assert manager.has_perm("catalogue.delete_lot") and manager.has_perm("catalogue.change_cooperative")


def test_cooperative_for(clerk, bgm, admin_user):
    assert scoping.cooperative_for(clerk) == bgm
    assert scoping.cooperative_for(admin_user) is None
    assert scoping.cooperative_for(AnonymousUser()) is None
    assert scoping.cooperative_for(User.objects.create_user("shopper", "s@example.org", "x")) is None


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_scope_shows_members_their_own_objects_only(model, clerk, manager, bgm, hcdn, admin_user):
    everything = model._default_manager.all()
    own = scoping.scope(everything, clerk)
    theirs = scoping.scope(everything, manager)
    assert own.exists() and theirs.exists(), "the demo data has objects of both cooperatives"
    assert set(own) == set(everything.for_cooperative(bgm))
    assert not set(own) & set(theirs)
    assert scoping.scope(everything, admin_user).count() == everything.count()
    outsider = User.objects.create_user("outsider", "o@example.org", "x", is_staff=True)
    assert not scoping.scope(everything, outsider).exists()
    assert not scoping.scope(everything, AnonymousUser()).exists()


def test_inactive_superuser_sees_nothing():
    ghost = User.objects.create_superuser("ghost", "g@example.org", "x", is_active=False)
    assert not scoping.scope(Lot.objects.all(), ghost).exists()


def test_assign_moves_a_user_to_another_cooperative(clerk, bgm, hcdn):
    scoping.assign(clerk, hcdn, scoping.Role.MANAGER)
    clerk = User.objects.get(pk=clerk.pk)
    assert scoping.cooperative_for(clerk) == hcdn
    assert set(clerk.groups.values_list("name", flat=True)) == {"Quản lý HTX", f"{hcdn.name} · Quản lý HTX"}
    assert list(clerk.partners.all()) == [hcdn.partner]
    assert CooperativeMembership.objects.filter(user=clerk).count() == 1


def test_assign_takes_is_staff_away(hcdn):
    user = User.objects.create_user("former-staff", "f@example.org", "x", is_staff=True)
    scoping.assign(user, hcdn, scoping.Role.STAFF)
    user.refresh_from_db()
    assert not user.is_staff


def test_scope_of_pages_is_the_cooperatives_page_in_every_language_and_below(clerk, manager, bgm, admin_user):
    from wagtail.models import Page

    from cms.models import CooperativePage

    own = set(scoping.scope(Page.objects.all(), clerk))
    pages = set(CooperativePage.objects.filter(partner=bgm.partner))
    assert {page.locale.language_code for page in pages} == {"vi", "en"}
    assert {page.pk for page in own} == {page.pk for page in pages}
    assert not own & set(scoping.scope(Page.objects.all(), manager))
    assert scoping.scope(Page.objects.all(), admin_user).count() == Page.objects.count()
    assert not scoping.other_cooperatives_pages(admin_user).exists()
    assert {p.pk for p in scoping.other_cooperatives_pages(clerk)} == {
        p.pk for p in CooperativePage.objects.exclude(partner=bgm.partner)
    }
