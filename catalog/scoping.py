"""The one permission helper for "this cooperative's objects".

Every staff view, chooser, filter and export asks this module, never its own query:
platform admins (superusers) see everything; a member of a cooperative (`CooperativeMembership`)
sees that cooperative's objects only, through each queryset's `for_cooperative()` (or, for Oscar's
stock records and order lines, the cooperative's partner; for Wagtail pages, the subtree of the
cooperative's own page in every language; for images and documents, its collection); anyone else
sees nothing.

What a member may do is defined here too: the roles' Django groups (model permissions), and each
cooperative's workspace (`CooperativeWorkspace`): a group per role holding Wagtail's own page
permissions on the cooperative's page and collection permissions on its media collection, plus the
workflow in which staff submit page changes to their managers. `sync_cooperative()` makes and keeps
all of it in step (idempotent); `assign()`, saving a cooperative and saving or moving a
cooperative page call it.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permission_policies import ModelPermissionPolicy

from catalog.models import Cooperative, CooperativeMembership, CooperativeWorkspace

Role = CooperativeMembership.Role

# Group names are data (stored), so they stay in Vietnamese whatever the admin's language.
ROLE_GROUPS = {Role.MANAGER: "Quản lý HTX", Role.STAFF: "Nhân viên HTX"}

# (app_label, codename) per role. Members are never is_staff: Oscar opens its platform-wide
# dashboard sections (offers, vouchers, users, ...) to is_staff, and those have no partner dimension.
_ACCESS = [("wagtailadmin", "access_admin"), ("partner", "dashboard_access")]
_TRACE_MODELS = ("rawmaterialzone", "certification", "ocoprating", "lot", "traceevent")
_EDIT_TRACE = [("catalogue", f"{action}_{model}") for model in _TRACE_MODELS for action in ("add", "change", "view")]
_EDIT_TRACE += [("catalogue", f"{action}_product") for action in ("add", "change", "view")]
_EDIT_TRACE += [("catalogue", "view_cooperative")]
_MANAGE = [("catalogue", f"delete_{model}") for model in (*_TRACE_MODELS, "product")] + [
    ("catalogue", "change_cooperative")
]
ROLE_PERMISSIONS = {Role.STAFF: _ACCESS + _EDIT_TRACE, Role.MANAGER: _ACCESS + _EDIT_TRACE + _MANAGE}

# Wagtail page permissions of a role on its cooperative's page (in every language) and the pages below it.
# Staff write, save drafts, add pages below it and submit changes to their managers (the cooperative's
# workflow); managers also publish, unpublish and lock. Only the platform admin deletes or moves the
# cooperative page itself (cms.models.CooperativePage.permissions_for_user).
PAGE_PERMISSIONS = {
    Role.STAFF: [("wagtailcore", "add_page"), ("wagtailcore", "change_page")],
    Role.MANAGER: [("wagtailcore", f"{action}_page") for action in ("add", "change", "publish", "lock", "unlock")],
}
# Collection permissions of a role on its cooperative's media collection. Wagtail treats "delete" as
# "change" for images and documents, and lets anyone with "add" edit and delete what they uploaded
# themselves. So staff upload, choose any of the cooperative's, and edit or delete their own uploads;
# managers also edit and delete any of the cooperative's.
_MEDIA = [("wagtailimages", "image"), ("wagtaildocs", "document")]
_MEDIA_ACTIONS = {Role.STAFF: ("add", "choose"), Role.MANAGER: ("add", "change", "choose", "delete")}
COLLECTION_PERMISSIONS = {
    role: [(app, f"{action}_{model}") for app, model in _MEDIA for action in actions]
    for role, actions in _MEDIA_ACTIONS.items()
}


def is_platform_admin(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def cooperative_for(user):
    """The cooperative `user` works for, or None (anonymous, platform admin, or no membership)."""
    if not user or not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    if not hasattr(user, "_scoping_cooperative"):
        membership = CooperativeMembership.objects.select_related("cooperative").filter(user=user).first()
        user._scoping_cooperative = membership.cooperative if membership else None
    return user._scoping_cooperative


def scope(queryset, user):
    """`queryset` narrowed to what `user` may see: all, their cooperative's objects, or none."""
    if is_platform_admin(user):
        return queryset
    cooperative = cooperative_for(user)
    if cooperative is None:
        return queryset.none()
    if hasattr(queryset, "for_cooperative"):
        return queryset.for_cooperative(cooperative)
    model = queryset.model
    if issubclass(model, Page):
        return queryset.filter(_subtrees(cooperative_pages(cooperative)))
    if issubclass(model, (Workflow, Task)):
        # The cooperative's approval workflow (sync_cooperative) and its task.
        own = CooperativeWorkspace.objects.filter(cooperative=cooperative).values("workflow")
        if issubclass(model, Workflow):
            return queryset.filter(pk__in=own)
        return queryset.filter(workflow_tasks__workflow__in=own).distinct()
    fields = {field.name: field for field in model._meta.get_fields()}
    if "partner" in fields:
        # Oscar's partner-owned rows (stock records, order lines) belong to the cooperative's partner.
        return queryset.filter(partner_id=cooperative.partner_id)
    if "collection" in fields and fields["collection"].related_model is Collection:
        # Wagtail images and documents belong to the cooperative's collection (and any below it).
        return queryset.filter(collection__in=_collections(cooperative))
    return queryset.none()


def cooperative_pages(cooperative):
    """The cooperative's own CooperativePage(s): the Vietnamese page and its translations."""
    return apps.get_model("cms", "CooperativePage").objects.filter(partner_id=cooperative.partner_id)


def other_cooperatives_pages(user):
    """Pages a member must not be shown: every other cooperative's page and what is below it.

    Empty for platform admins and for users who belong to no cooperative (Wagtail's own rules apply).
    """
    cooperative = cooperative_for(user)
    if cooperative is None:
        return Page.objects.none()
    others = (
        apps.get_model("cms", "CooperativePage")
        .objects.exclude(partner_id=cooperative.partner_id)
        .exclude(partner__isnull=True)
    )
    return Page.objects.filter(_subtrees(others))


def _subtrees(pages) -> Q:
    """Matches `pages` and every page below them (Wagtail's materialised tree paths)."""
    q = Q(pk__in=[])
    for path in pages.values_list("path", flat=True):
        q |= Q(path__startswith=path)
    return q


def _collections(cooperative):
    workspace = CooperativeWorkspace.objects.filter(cooperative=cooperative).select_related("collection").first()
    if workspace is None or workspace.collection is None:
        return Collection.objects.none()
    return workspace.collection.get_descendants(inclusive=True)


def media_collection(cooperative):
    """The collection the cooperative's images and documents live in (made if missing)."""
    workspace = CooperativeWorkspace.objects.filter(cooperative=cooperative).select_related("collection").first()
    if workspace is None or workspace.collection is None:
        workspace = sync_cooperative(cooperative)
    return workspace.collection


def can_access(user, obj) -> bool:
    """Whether `obj` is one of the objects `user` may see."""
    if is_platform_admin(user):
        return True
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


class CooperativePermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions (from the role's group), narrowed to the user's own objects.

    Used by every traceability viewset, so views and bulk actions that ask about an instance
    (edit, delete, copy, bulk delete) get "no" for the other cooperative's object.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and can_access(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(user, actions, instance) and can_access(user, instance)

    def instances_user_has_permission_for(self, user, action):
        return scope(super().instances_user_has_permission_for(user, action), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return scope(super().instances_user_has_any_permission_for(user, actions), user)


class ScopedChooserMixin:
    """Chooser modals list and accept only objects in the user's scope."""

    def get_object_list(self):
        return scope(super().get_object_list(), self.request.user)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not can_access(self.request.user, obj):
            raise Http404
        return obj

    def get_objects(self, pks):
        return scope(super().get_objects(pks), self.request.user)


def scoped_view_class(view_class, mixin):
    """`view_class` with `mixin` in front (how the admin viewsets scope every view they build)."""
    return type(f"Scoped{view_class.__name__}", (mixin, view_class), {"__module__": __name__})


def sync_role_groups():
    """Create or update the role groups with exactly their permissions. Idempotent."""
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = ROLE_PERMISSIONS[role]
        permissions = [
            permission
            for permission in Permission.objects.filter(codename__in={c for _, c in wanted}).select_related(
                "content_type"
            )
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.set(permissions)
        groups[role] = group
    return groups


def _permissions(pairs):
    wanted = set(pairs)
    return [
        permission
        for permission in Permission.objects.filter(codename__in={c for _, c in wanted}).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]


def _named(group, name):
    """`group` renamed to `name`, or the group of that name when there is none yet."""
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def workspace_groups(workspace) -> dict:
    return {Role.STAFF: workspace.staff_group, Role.MANAGER: workspace.manager_group}


def _all_workspace_group_ids() -> set:
    pairs = CooperativeWorkspace.objects.values_list("staff_group_id", "manager_group_id")
    return {pk for pair in pairs for pk in pair if pk is not None}


@transaction.atomic
def sync_cooperative(cooperative):
    """Create or update the cooperative's workspace and every permission it carries. Idempotent.

    A group per role ("<cooperative> · Nhân viên HTX" / "· Quản lý HTX"), a media collection named
    after the cooperative with exactly COLLECTION_PERMISSIONS for those groups, an approval workflow
    whose one task its managers review, and exactly PAGE_PERMISSIONS on each of its pages (every
    language); pages that are no longer the cooperative's lose them.
    """
    workspace, _ = CooperativeWorkspace.objects.select_for_update().get_or_create(cooperative=cooperative)
    workspace.staff_group = _named(workspace.staff_group, f"{cooperative.name} · {ROLE_GROUPS[Role.STAFF]}")
    workspace.manager_group = _named(workspace.manager_group, f"{cooperative.name} · {ROLE_GROUPS[Role.MANAGER]}")

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    if workspace.collection is None:
        workspace.collection = root.get_children().filter(name=cooperative.name).first() or root.add_child(
            name=cooperative.name
        )
    elif workspace.collection.name != cooperative.name:
        workspace.collection.name = cooperative.name
        workspace.collection.save(update_fields=["name"])

    workflow_name = f"Duyệt trang · {cooperative.name}"
    if workspace.workflow is None:
        workspace.workflow = Workflow.objects.create(name=workflow_name, active=True)
    elif workspace.workflow.name != workflow_name or not workspace.workflow.active:
        workspace.workflow.name, workspace.workflow.active = workflow_name, True
        workspace.workflow.save(update_fields=["name", "active"])
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workspace.workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{cooperative.name} · {ROLE_GROUPS[Role.MANAGER]} duyệt")
        WorkflowTask.objects.create(workflow=workspace.workflow, task=task, sort_order=0)
    task.groups.add(workspace.manager_group)
    workspace.save()

    groups = workspace_groups(workspace)
    for role, group in groups.items():
        wanted = {p.pk for p in _permissions(COLLECTION_PERMISSIONS[role])}
        existing = GroupCollectionPermission.objects.filter(group=group)
        existing.exclude(collection=workspace.collection, permission_id__in=wanted).delete()
        have = set(existing.values_list("permission_id", flat=True))
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group=group, collection=workspace.collection, permission_id=pk)
            for pk in wanted - have
        )
    pages = list(cooperative_pages(cooperative))
    GroupPagePermission.objects.filter(group__in=groups.values()).exclude(page__in=pages).delete()
    for page in pages:
        _sync_page_permissions(page, workspace)
    return workspace


def _sync_page_permissions(page, workspace):
    """Exactly `workspace`'s groups (or, with None, no cooperative's group) hold permissions on `page`."""
    wanted = set()
    if workspace is not None:
        for role, group in workspace_groups(workspace).items():
            wanted |= {(group.pk, p.pk) for p in _permissions(PAGE_PERMISSIONS[role])}
    existing = GroupPagePermission.objects.filter(page=page, group_id__in=_all_workspace_group_ids())
    for grant in existing:
        if (grant.group_id, grant.permission_id) not in wanted:
            grant.delete()
    have = set(existing.values_list("group_id", "permission_id"))
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(page=page, group_id=group_id, permission_id=permission_id)
        for group_id, permission_id in wanted - have
    )
    # The cooperative's approval workflow, unless the platform admin gave the page another one.
    cooperative_workflows = set(
        CooperativeWorkspace.objects.exclude(workflow=None).values_list("workflow_id", flat=True)
    )
    assigned = WorkflowPage.objects.filter(page=page).first()
    if workspace is not None and workspace.workflow_id:
        if assigned is None or (
            assigned.workflow_id in cooperative_workflows and assigned.workflow_id != workspace.workflow_id
        ):
            WorkflowPage.objects.update_or_create(page=page, defaults={"workflow_id": workspace.workflow_id})
    elif assigned is not None and assigned.workflow_id in cooperative_workflows:
        assigned.delete()


def sync_page(page):
    """Keep a CooperativePage's permissions with the cooperative its partner is (after a save or a move)."""
    cooperative = Cooperative.objects.filter(partner_id=page.partner_id).first() if page.partner_id else None
    if cooperative is None:
        _sync_page_permissions(page, None)
        return
    workspace = CooperativeWorkspace.objects.filter(cooperative=cooperative).first()
    if workspace is None or None in (workspace.staff_group_id, workspace.manager_group_id, workspace.collection_id):
        sync_cooperative(cooperative)
    else:
        _sync_page_permissions(page, workspace)


def sync_all():
    """Role groups and every cooperative's workspace (manage.py sync_cooperative_access)."""
    sync_role_groups()
    return [sync_cooperative(cooperative) for cooperative in Cooperative.objects.order_by("pk")]


@transaction.atomic
def assign(user, cooperative, role):
    """Make `user` a member of `cooperative` with `role`: membership, groups, Oscar partner. Idempotent.

    Groups: the role's group (model permissions) and the cooperative's group for that role (its page
    and media permissions); every other cooperative access group is taken away.
    """
    groups = sync_role_groups()
    workspace = sync_cooperative(cooperative)
    CooperativeMembership.objects.update_or_create(user=user, defaults={"cooperative": cooperative, "role": role})
    wanted = [groups[role], workspace_groups(workspace)[role]]
    access = {group.pk for group in groups.values()} | _all_workspace_group_ids()
    user.groups.remove(*Group.objects.filter(pk__in=access).exclude(pk__in=[g.pk for g in wanted]))
    user.groups.add(*wanted)
    # The Oscar dashboard scopes partner users by Partner.users: exactly their own partner.
    for partner in user.partners.exclude(pk=cooperative.partner_id):
        partner.users.remove(user)
    cooperative.partner.users.add(user)
    if user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_scoping_cooperative", None)


def release(user):
    """Take away what `assign()` gave (after the membership is gone): access groups and Oscar partners."""
    access = set(Group.objects.filter(name__in=ROLE_GROUPS.values()).values_list("pk", flat=True))
    user.groups.remove(*Group.objects.filter(pk__in=access | _all_workspace_group_ids()))
    for partner in user.partners.filter(cooperative__isnull=False):
        partner.users.remove(user)
    user.__dict__.pop("_scoping_cooperative", None)


@transaction.atomic
def unassign(user):
    """Undo `assign`: no membership, no cooperative groups, no Oscar partner; the account stays."""
    CooperativeMembership.objects.filter(user=user).delete()  # its post_delete signal calls release()
    release(user)  # also when there was no membership row to delete
