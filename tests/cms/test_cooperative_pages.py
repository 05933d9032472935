"""Cooperative pages in the Wagtail admin: each cooperative's members edit their own page (both
languages) and the articles below it, through Wagtail's own page permissions (catalog.scoping).

Demo accounts: `huucodongnai` manages HTX hữu cơ Đồng Nai (A), `bugiamap` is staff of HTX Bù Gia Mập (B).
The isolation matrix (tests/shop/test_isolation_matrix.py) tries every page URL with the other's page.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.fields import StreamField
from wagtail.models import GroupPagePermission, Locale, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from catalog import scoping
from catalog.models import Cooperative, CooperativeMembership, CooperativeWorkspace
from cms.models import ArticlePage, CooperativeIndexPage, CooperativePage

pytestmark = pytest.mark.django_db

User = get_user_model()


def coop_page(code, language="vi"):
    return CooperativePage.objects.get(partner__code=code, locale__language_code=language)


def edit_data(page, **changes):
    """What the page editor posts for `page` unchanged (stream fields emptied), with `changes`."""
    form_class = page.get_edit_handler().get_form_class()
    data = {}
    for name in form_class.base_fields:
        field = page._meta.get_field(name) if name != "comment_notifications" else None
        if field is None:
            data[name] = False
        elif isinstance(field, StreamField):
            data[name] = streamfield([])
        elif field.is_relation:
            data[name] = getattr(page, field.attname) or ""
        else:
            value = getattr(page, name)
            data[name] = "" if value is None else value.isoformat() if isinstance(value, date) else value
    data["comments"] = inline_formset([])
    data.update(changes)
    return nested_form_data(data)


def article_data(**changes):
    data = {
        "title": "Vụ điều mới của hợp tác xã",
        "slug": "vu-dieu-moi",
        "date": "2026-03-01",
        "kind": "story",
        "intro": "Bài của hợp tác xã.",
        "image": "",
        "body": streamfield([]),
        "seo_title": "",
        "search_description": "",
        "social_image": "",
        "is_sample": False,
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


PUBLISH = {"action-publish": "action-publish"}


def test_a_manager_edits_and_publishes_their_cooperative_page(client, manager):
    page = coop_page("huucodongnai")
    client.force_login(manager)
    url = f"/admin/pages/{page.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(page, title="HTX hữu cơ Đồng Nai (đã cập nhật)", **PUBLISH))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page.refresh_from_db()
    assert page.title == "HTX hữu cơ Đồng Nai (đã cập nhật)"
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.user == manager


def test_a_manager_adds_an_article_under_their_page_and_it_shows_on_the_page(client, manager):
    page = coop_page("huucodongnai")
    client.force_login(manager)
    url = f"/admin/pages/add/cms/articlepage/{page.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, article_data(**PUBLISH))
    assert response.status_code == 302
    article = ArticlePage.objects.child_of(page).get(slug="vu-dieu-moi")
    assert article.live and article.owner == manager
    client.logout()
    assert "Vụ điều mới của hợp tác xã" in client.get(page.url).content.decode()


def test_nobody_adds_an_article_under_the_other_cooperatives_page(client, manager):
    theirs = coop_page("bugiamap")
    client.force_login(manager)
    response = client.post(f"/admin/pages/add/cms/articlepage/{theirs.pk}/", article_data(**PUBLISH))
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    assert not ArticlePage.objects.child_of(theirs).exists()


def test_staff_cannot_publish_they_submit_to_their_managers_who_publish(client, clerk, bgm):
    page = coop_page("bugiamap")
    live_title = page.title
    client.force_login(clerk)
    url = f"/admin/pages/{page.pk}/edit/"
    client.post(url, edit_data(page, title="Bản nháp của nhân viên", **PUBLISH))
    page.refresh_from_db()
    assert page.title == live_title and page.has_unpublished_changes, "staff save a draft, never publish"

    client.post(url, edit_data(page, title="Bản nháp của nhân viên", **{"action-submit": "action-submit"}))
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    workspace = CooperativeWorkspace.objects.get(cooperative=bgm)
    assert state.workflow == workspace.workflow
    assert list(state.current_task_state.task.specific.groups.all()) == [workspace.manager_group]

    reviewer = User.objects.create_user("quanly-bgm", "ql@example.org", "x")
    scoping.assign(reviewer, bgm, scoping.Role.MANAGER)
    client.force_login(reviewer)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}, follow=False
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.title == "Bản nháp của nhân viên" and not page.has_unpublished_changes


@pytest.mark.parametrize("report", ["workflow", "workflow_tasks"])
def test_workflow_reports_offer_each_member_their_own_workflow_and_the_admin_all(
    client, clerk, admin_user, bgm, hcdn, report
):
    own, other = (CooperativeWorkspace.objects.get(cooperative=c).workflow.name for c in (bgm, hcdn))
    client.force_login(clerk)
    html = client.get(f"/admin/reports/{report}/").content.decode()
    assert own in html and other not in html
    client.force_login(admin_user)
    html = client.get(f"/admin/reports/{report}/").content.decode()
    assert own in html and other in html


def test_members_never_delete_or_move_their_cooperative_page(client, manager, admin_user):
    page = coop_page("huucodongnai")
    client.force_login(manager)
    for url in (f"/admin/pages/{page.pk}/delete/", f"/admin/pages/{page.pk}/move/"):
        response = client.post(url)
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
    response = client.post(f"/admin/api/main/pages/{page.pk}/action/delete/", content_type="application/json")
    assert response.status_code == 403
    assert CooperativePage.objects.filter(pk=page.pk, path=page.path).exists()
    perms = page.permissions_for_user(manager)
    assert perms.can_publish() and perms.can_edit() and not perms.can_delete() and not perms.can_move()
    assert page.permissions_for_user(admin_user).can_delete()


def test_a_manager_may_delete_an_article_of_their_own(client, manager):
    page = coop_page("huucodongnai")
    client.force_login(manager)
    client.post(f"/admin/pages/add/cms/articlepage/{page.pk}/", article_data(**PUBLISH))
    article = ArticlePage.objects.child_of(page).get(slug="vu-dieu-moi")
    assert client.post(f"/admin/pages/{article.pk}/delete/").status_code == 302
    assert not ArticlePage.objects.filter(pk=article.pk).exists()


def test_the_english_translation_of_their_page_is_theirs_too(client, manager, clerk):
    own_en, theirs_en = coop_page("huucodongnai", "en"), coop_page("bugiamap", "en")
    assert own_en.permissions_for_user(manager).can_publish()
    assert not theirs_en.permissions_for_user(manager).can_edit()
    assert theirs_en.permissions_for_user(clerk).can_edit() and not theirs_en.permissions_for_user(clerk).can_publish()
    client.force_login(manager)
    # wagtail-localize's translation editor opens in place of the page editor.
    response = client.get(f"/admin/pages/{own_en.pk}/edit/")
    assert response.status_code == 200 and "wagtail_localize" in response.content.decode()
    assert client.get(f"/admin/pages/{theirs_en.pk}/edit/").status_code == 302


def test_which_cooperative_a_page_belongs_to_is_the_platform_admins_choice(client, manager, bgm):
    page = coop_page("huucodongnai")
    client.force_login(manager)
    form = client.get(f"/admin/pages/{page.pk}/edit/").context["form"]
    assert form.fields["partner"].disabled
    assert list(form.fields["partner"].queryset) == [page.partner]
    client.post(f"/admin/pages/{page.pk}/edit/", edit_data(page, partner=bgm.partner_id, **PUBLISH))
    page.refresh_from_db()
    assert page.partner.code == "huucodongnai"


def holders(page):
    return set(GroupPagePermission.objects.filter(page=page).values_list("group__name", "permission__codename"))


def test_a_new_cooperative_page_and_its_translation_get_the_cooperatives_permissions(hcdn, bgm):
    index = CooperativeIndexPage.objects.get(locale__language_code="vi")
    page = CooperativePage(title="Trang thứ hai", slug="trang-thu-hai", partner=hcdn.partner)
    index.add_child(instance=page)
    groups = scoping.workspace_groups(hcdn.workspace)
    staff, managers = groups[scoping.Role.STAFF].name, groups[scoping.Role.MANAGER].name
    assert holders(page) == {(staff, "add_page"), (staff, "change_page")} | {
        (managers, action) for action in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
    }
    assert WorkflowPage.objects.get(page=page).workflow == hcdn.workspace.workflow

    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    assert holders(english) == holders(page)

    # Handed to the other cooperative by the platform admin: the permissions go with it.
    page.partner = bgm.partner
    page.save()
    assert {name for name, _ in holders(page)} == {g.name for g in scoping.workspace_groups(bgm.workspace).values()}
    assert WorkflowPage.objects.get(page=page).workflow == bgm.workspace.workflow
    page.partner = None
    page.save()
    assert holders(page) == set() and not WorkflowPage.objects.filter(page=page).exists()


def test_a_moved_cooperative_page_keeps_its_permissions(admin_user, hcdn):
    index = CooperativeIndexPage.objects.get(locale__language_code="vi")
    page = CooperativePage(title="Trang chuyển", slug="trang-chuyen", partner=hcdn.partner)
    index.add_child(instance=page)
    before = holders(page)
    GroupPagePermission.objects.filter(page=page).delete()  # e.g. removed by hand in Groups
    page.move(index, pos="first-child", user=admin_user)  # reordered by the platform admin
    assert holders(CooperativePage.objects.get(pk=page.pk)) == before


def test_sync_is_idempotent():
    call_command("sync_cooperative_access", stdout=open("/dev/null", "w"))
    counted = (GroupPagePermission.objects.count(), WorkflowPage.objects.count(), CooperativeWorkspace.objects.count())
    scoping.sync_all()
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    assert (
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
        CooperativeWorkspace.objects.count(),
    ) == counted
    assert CooperativeWorkspace.objects.count() == Cooperative.objects.count()


def test_renaming_a_cooperative_renames_its_groups_collection_and_workflow(hcdn):
    hcdn.name = "HTX hữu cơ Đồng Nai (tên mới)"
    hcdn.save()
    workspace = CooperativeWorkspace.objects.get(cooperative=hcdn)
    assert workspace.manager_group.name == "HTX hữu cơ Đồng Nai (tên mới) · Quản lý HTX"
    assert workspace.collection.name == "HTX hữu cơ Đồng Nai (tên mới)"
    assert workspace.workflow.name == "Duyệt trang · HTX hữu cơ Đồng Nai (tên mới)"


def test_a_removed_member_loses_their_page_and_media_permissions(manager):
    page = coop_page("huucodongnai")
    assert page.permissions_for_user(manager).can_edit()
    CooperativeMembership.objects.filter(user=manager).delete()
    manager = User.objects.get(pk=manager.pk)
    assert not manager.groups.exists() and not manager.partners.exists()
    assert not page.permissions_for_user(manager).can_edit()


def test_the_admin_menu_takes_a_member_straight_to_their_page(client, manager, admin_user):
    client.force_login(manager)
    # The sidebar is JSON: the item is named after its label.
    html = client.get("/admin/").content.decode()
    item = '"name": "trang-hop-tac-xa", "label": "Trang h\\u1ee3p t\\u00e1c x\\u00e3", "icon_name": "home"'
    assert item in html
    assert f'"url": "/admin/pages/{coop_page("huucodongnai").pk}/"' in html
    client.force_login(admin_user)
    assert '"name": "trang-hop-tac-xa"' not in client.get("/admin/").content.decode()
