"""Oscar's order dashboard, fulfilled per cooperative.

Oscar lets a partner user open any order that has one of its lines, then shows every line, the
whole order's totals, shipping events and payments, and accepts line actions on any line (oscar
issues #2240, #2324). Here:

- the lines an order page shows and the lines its actions accept come from one place,
  `get_order_lines`, scoped by `catalog.scoping`;
- everything else a cooperative sees of an order (goods subtotal, shipments, payment state, notes)
  comes from `shares.order_share`, and the list, its CSV and the statistics show its own lines'
  figures (`shares.annotate_share`), never the whole order's;
- order-wide changes (an order status cascades to every line), payment events and a mixed order's
  address are the platform admin's.

Line statuses: "preparing" and "cancelled" by hand; "shipped" and "delivered" follow shipping
events, which name the carrier and tracking number (shop.order.processing). Cancelling puts the
stock back on sale (shop.order.receivers) and, on a paid order, says that a refund is due.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.order import exceptions as order_exceptions
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from catalog.scoping import can_access, cooperative_for, is_platform_admin, scope
from shop.dashboard.orders import shares
from shop.dashboard.orders.forms import ShipmentForm
from shop.order import statuses
from shop.payment.refunds import refund_due

Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")

# What a cooperative may do to a whole order: add a note and delete its own. Status changes cascade
# to the other cooperative's lines.
COOPERATIVE_ORDER_ACTIONS = ("save_note", "delete_note")
# Payments are the platform's: Oscar's generic payment event would bypass the payment ledger.
COOPERATIVE_LINE_ACTIONS = ("change_line_statuses", "create_shipping_event")

COOPERATIVE_CSV_COLUMNS = {
    **oscar_views.OrderListView.CSV_COLUMNS,
    "value": gettext_lazy("Tiền hàng của HTX (giá trước khuyến mãi)"),
    "num_items": gettext_lazy("Số sản phẩm của HTX"),
}


class OrderListView(oscar_views.OrderListView):
    """A cooperative's list, CSV and search cover its own lines: its subtotal and units per order."""

    def dispatch(self, request, *args, **kwargs):
        self.cooperative = cooperative_for(request.user)
        if self.cooperative is not None:
            self.CSV_COLUMNS = COOPERATIVE_CSV_COLUMNS
        return super().dispatch(request, *args, **kwargs)

    def get_actions(self):
        actions = super().get_actions()
        if is_platform_admin(self.request.user):
            return actions
        return {name: action for name, action in actions.items() if name != "change_order_statuses"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.cooperative is None:
            return queryset
        queryset = shares.annotate_share(queryset, self.cooperative)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        # Oscar matches these against any line of the order; a cooperative searches its own lines only.
        own = {"lines__partner_id": self.cooperative.partner_id}
        if data.get("product_title"):
            queryset = queryset.filter(**own, lines__title__istartswith=data["product_title"]).distinct()
        if data.get("upc"):
            queryset = queryset.filter(**own, lines__upc=data["upc"]).distinct()
        if data.get("partner_sku"):
            queryset = queryset.filter(**own, lines__partner_sku=data["partner_sku"]).distinct()
        if self.request.GET.get("sort") == "total_incl_tax":
            queryset = queryset.order_by(("-" if self.request.GET.get("dir") == "desc" else "") + "share_total")
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.cooperative
        return ctx

    def get_row_values(self, order):
        row = super().get_row_values(order)
        if self.cooperative is not None:
            row.update(value=order.share_total, num_items=order.share_items)
        return row

    def change_order_status(self, request, order):
        super().change_order_status(request, order)
        warn_refund_due(request, order)


class OrderStatsView(oscar_views.OrderStatsView):
    def get_stats(self, filters):
        cooperative = cooperative_for(self.request.user)
        if cooperative is None:
            return super().get_stats(filters)
        orders = oscar_views.queryset_orders_for_user(self.request.user).filter(**filters)
        lines = scope(Line.objects.filter(order__in=orders), self.request.user)
        revenue = shares.sales_lines(lines).aggregate(total=Sum(shares.LINE_REVENUE))["total"]
        return {
            "cooperative": cooperative,
            "total_orders": orders.count(),
            "total_lines": lines.count(),
            "total_revenue": revenue or 0,
            "order_status_breakdown": orders.order_by("status")
            .values("status")
            .annotate(freq=Count("id", distinct=True)),
        }


class OrderDetailView(oscar_views.OrderDetailView):
    def get_template_names(self):
        if cooperative_for(self.request.user) is not None:
            return ["oscar/dashboard/orders/order_detail_cooperative.html"]
        return super().get_template_names()

    def get_order_lines(self):
        # Both the lines shown and the lines accepted by every line action come from here.
        return scope(super().get_order_lines(), self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["share"] = shares.order_share(self.object, self.request.user)
        ctx["shipment_form"] = kwargs.get("shipment_form") or ShipmentForm()
        ctx["manual_line_statuses"] = [(status, statuses.label(status)) for status in statuses.MANUAL_LINE_STATUSES]
        ctx["can_record_payment_events"] = is_platform_admin(self.request.user)
        if ctx["share"] is None:
            ctx["refund_due"] = refund_due(self.object)
        return ctx

    def get_order_note_form(self):
        # A note is the writer's: on a shared order a cooperative edits only the notes its user wrote.
        note_id = self.kwargs.get("note_id")
        if note_id and not is_platform_admin(self.request.user):
            if not self.object.notes.filter(pk=note_id, user=self.request.user).exists():
                raise Http404
        form = super().get_order_note_form()
        if form.is_bound and self.request.POST.get("order_action") != "save_note":
            # Oscar binds it to any POST: a line action shown again (redisplay) is not an empty note.
            return type(form)(order=self.object, user=self.request.user, instance=form.instance)
        return form

    def get_order_status_form(self):
        form = super().get_order_status_form()
        if form.is_bound and self.request.POST.get("order_action") != "change_order_status":
            return type(form)(order=self.object)
        return form

    def handle_order_action(self, request, order, action):
        if not is_platform_admin(request.user) and action not in COOPERATIVE_ORDER_ACTIONS:
            return self.reload_page(error=_("Chỉ quản trị nền tảng được thay đổi cả đơn hàng."))
        return super().handle_order_action(request, order, action)

    def handle_line_action(self, request, order, action):
        if not is_platform_admin(request.user) and action not in COOPERATIVE_LINE_ACTIONS:
            return self.reload_page(error=_("Thanh toán của đơn hàng do quản trị nền tảng ghi nhận."))
        if not request.POST.getlist("selected_line"):
            # Oscar's "You must select some lines to act on" neither says where nor keeps what was typed.
            messages.error(request, _("Chưa chọn dòng hàng nào: đánh dấu ô ở đầu dòng cần xử lý, rồi bấm lại nút."))
            return self.redisplay(request)
        return super().handle_line_action(request, order, action)

    def redisplay(self, request, shipment_form=None):
        """The order page again with what was typed in the line actions (a redirect would lose it).

        `shipment_form` is the refused shipment, with its errors; otherwise the shipment fields are
        filled in as posted, without errors (they were not what was refused).
        """
        if shipment_form is None:
            shipment_form = ShipmentForm(
                initial={name: request.POST.get(name, "") for name in ShipmentForm.base_fields}
            )
        return self.render_to_response(
            self.get_context_data(shipment_form=shipment_form, selected_lines=request.POST.getlist("selected_line"))
        )

    # Order-level actions

    def delete_note(self, request, order):
        if not is_platform_admin(request.user):
            note = order.notes.filter(pk=request.POST.get("note_id"), user=request.user).first()
            if note is None or not note.is_editable():
                messages.error(request, _("Chỉ xóa được ghi chú của chính bạn, trong 5 phút sau khi viết."))
                return self.reload_page(fragment="notes")
        return super().delete_note(request, order)

    def change_order_status(self, request, order):
        response = super().change_order_status(request, order)
        order.refresh_from_db()
        warn_refund_due(request, order)
        return response

    # Line-level actions

    def change_line_statuses(self, request, order, lines, quantities):
        new_status = request.POST.get("new_status", "").strip()
        old = {line.pk: line.status for line in lines}
        try:
            self.get_handler(user=request.user).handle_line_status_change(
                order, list(lines), new_status, note_msg=line_status_note(lines, old, new_status)
            )
        except order_exceptions.InvalidLineStatus as exc:
            messages.error(request, str(exc) or _("Trạng thái này không hợp lệ cho dòng đã chọn."))
            return self.reload_page()
        messages.success(request, line_status_note(lines, old, new_status))
        if new_status == statuses.CANCELLED:
            messages.info(request, _("Hàng của các dòng đã hủy đã được trả lại kho để bán tiếp."))
            order.refresh_from_db()
            due = refund_due(order)
            if due and not is_platform_admin(request.user):
                cancelled = ", ".join(f"#{line.pk}" for line in lines)
                note = _("Cần hoàn tiền cho khách: dòng %(lines)s đã hủy (%(amount)s).") % {
                    "lines": cancelled,
                    "amount": currency(sum(line.line_price_incl_tax for line in lines), order.currency),
                }
                order.notes.create(user=request.user, message=note, note_type=OrderNote.WARNING)
                messages.warning(request, _("Khách đã thanh toán đơn này: quản trị nền tảng sẽ hoàn tiền phần đã hủy."))
            else:
                warn_refund_due(request, order)
        return self.reload_page()

    def create_shipping_event(self, request, order, lines, quantities):
        form = ShipmentForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.redisplay(request, form)
        event_type = form.cleaned_data["shipping_event_type"]
        try:
            self.get_handler(user=request.user).handle_shipping_event(
                order, event_type, list(lines), quantities, **form.handler_kwargs()
            )
        except (order_exceptions.InvalidShippingEvent, order_exceptions.InvalidStatus) as exc:
            # Refused by the order's rules (a line not ready, an order awaiting payment...): nothing
            # was saved, and the page comes back with what was typed.
            messages.error(request, _("Chưa ghi được sự kiện giao hàng: %(error)s") % {"error": exc})
            return self.redisplay(request)
        except PaymentError as exc:
            messages.error(request, _("Chưa ghi được sự kiện giao hàng do lỗi thanh toán: %(error)s") % {"error": exc})
            return self.redisplay(request)
        else:
            messages.success(
                request,
                ngettext(
                    "Đã ghi “%(event)s” cho %(count)s dòng; khách sẽ nhận email kèm mã vận đơn.",
                    "Đã ghi “%(event)s” cho %(count)s dòng; khách sẽ nhận email kèm mã vận đơn.",
                    len(lines),
                )
                % {"event": statuses.event_label(event_type), "count": len(lines)},
            )
        return self.reload_page()


class LineDetailView(oscar_views.LineDetailView):
    def get_object(self, queryset=None):
        line = super().get_object(queryset)
        if not can_access(self.request.user, line):
            raise Http404
        return line


class ShippingAddressUpdateView(oscar_views.ShippingAddressUpdateView):
    """A cooperative edits the delivery address only of an order that is entirely its own."""

    def get_object(self, queryset=None):
        address = super().get_object(queryset)
        share = shares.order_share(address.order, self.request.user)
        if share is not None and not share.is_whole_order:
            raise PermissionDenied(_("Đơn hàng có hàng của hợp tác xã khác: địa chỉ do quản trị nền tảng sửa."))
        return address


def line_status_note(lines, old, new_status):
    return "\n".join(
        _("Dòng #%(line)s: “%(old)s” → “%(new)s”")
        % {"line": line.pk, "old": statuses.label(old[line.pk]), "new": statuses.label(new_status)}
        for line in lines
    )


def warn_refund_due(request, order):
    """Say plainly, after a cancellation, that a paid order needs a refund, and where to make it."""
    due = refund_due(order)
    if due:
        url = reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#payment"
        messages.warning(
            request,
            _("Đơn %(number)s đã thanh toán: cần hoàn %(amount)s cho khách ở tab Thanh toán (%(url)s).")
            % {"number": order.number, "amount": currency(due, order.currency), "url": url},
        )
