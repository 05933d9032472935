"""Wagtail's user screens with the cooperative and role: one form creates the user and their
membership (through `catalog.scoping.assign`), and the list shows who belongs where."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.users.views import users

from shop.staff.forms import StaffUserCreationForm, StaffUserEditForm


def _cooperative(user):
    membership = getattr(user, "cooperative_membership", None)
    return membership.cooperative.name if membership else ""


def _role(user):
    membership = getattr(user, "cooperative_membership", None)
    return membership.get_role_display() if membership else ""


class IndexView(users.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        extra = [
            # No width of their own: they share what Wagtail's columns leave with the name.
            Column("cooperative", accessor=_cooperative, label=_("Hợp tác xã")),
            Column("role", accessor=_role, label=_("Vai trò")),
        ]
        # After the username, before the access level.
        return columns[:3] + extra + columns[3:]

    def get_base_queryset(self):
        # One query for the page, memberships and cooperatives included.
        return super().get_base_queryset().select_related("cooperative_membership__cooperative")


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
