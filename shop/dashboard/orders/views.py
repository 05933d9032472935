"""Oscar's order dashboard, fulfilled per cooperative.

Oscar lets a partner user open any order that has one of its lines, then shows every line and
accepts line actions on any of them (oscar issues #2240, #2324). Here the lines an order page
shows and the lines its actions accept come from one place, `get_order_lines`, scoped by
`catalog.scoping`; order-wide changes (an order status cascades to every line) are the platform
admin's.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import views as oscar_views

from catalog.scoping import can_access, is_platform_admin, scope

# What a cooperative may do to a whole order: only add a note. Status changes cascade to the other
# cooperative's lines, and notes of others are not theirs to delete.
COOPERATIVE_ORDER_ACTIONS = ("save_note",)


class OrderListView(oscar_views.OrderListView):
    def get_actions(self):
        actions = super().get_actions()
        if is_platform_admin(self.request.user):
            return actions
        return {name: action for name, action in actions.items() if name != "change_order_statuses"}


class OrderDetailView(oscar_views.OrderDetailView):
    def get_order_lines(self):
        # Both the lines shown and the lines accepted by every line action come from here.
        return scope(super().get_order_lines(), self.request.user)

    def get_order_note_form(self):
        # A note is the writer's: on a shared order a cooperative edits only the notes its user wrote.
        note_id = self.kwargs.get("note_id")
        if note_id and not is_platform_admin(self.request.user):
            if not self.object.notes.filter(pk=note_id, user=self.request.user).exists():
                raise Http404
        return super().get_order_note_form()

    def handle_order_action(self, request, order, action):
        if not is_platform_admin(request.user) and action not in COOPERATIVE_ORDER_ACTIONS:
            return self.reload_page(error=_("Chỉ quản trị nền tảng được thay đổi cả đơn hàng."))
        return super().handle_order_action(request, order, action)


class LineDetailView(oscar_views.LineDetailView):
    def get_object(self, queryset=None):
        line = super().get_object(queryset)
        if not can_access(self.request.user, line):
            raise Http404
        return line
