"""The one permission helper for "this cooperative's objects".

Every staff view, chooser, filter and export asks this module, never its own query:
platform admins (superusers) see everything; a member of a cooperative (`CooperativeMembership`)
sees that cooperative's objects only, through each queryset's `for_cooperative()` (or, for Oscar's
stock records and order lines, the cooperative's partner); anyone else sees nothing.
The roles' Django groups (what a member may do) are defined here too.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from catalog.models import CooperativeMembership

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
    if any(field.name == "partner" for field in queryset.model._meta.get_fields()):
        # Oscar's partner-owned rows (stock records, order lines) belong to the cooperative's partner.
        return queryset.filter(partner_id=cooperative.partner_id)
    return queryset.none()


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


@transaction.atomic
def assign(user, cooperative, role):
    """Make `user` a member of `cooperative` with `role`: membership, group, Oscar partner. Idempotent."""
    groups = sync_role_groups()
    CooperativeMembership.objects.update_or_create(user=user, defaults={"cooperative": cooperative, "role": role})
    user.groups.remove(*[group for r, group in groups.items() if r != role])
    user.groups.add(groups[role])
    # The Oscar dashboard scopes partner users by Partner.users: exactly their own partner.
    for partner in user.partners.exclude(pk=cooperative.partner_id):
        partner.users.remove(user)
    cooperative.partner.users.add(user)
    if user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_scoping_cooperative", None)
