"""Guest order tracking pages (see shop.order.tracking)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from oscar.core.loading import get_model

from shop.order import statuses, tracking

Order = get_model("order", "Order")
TEMPLATE = "shop/order_tracking.html"


@method_decorator(never_cache, name="dispatch")
class OrderTrackingView(View):
    """GET shows the form; POST looks the order up and shows its status, or one same "not found"."""

    def get(self, request):
        return render(request, TEMPLATE, {"form": tracking.OrderTrackingForm()})

    def post(self, request):
        form = tracking.OrderTrackingForm(request.POST)
        if not form.is_valid():
            return render(request, TEMPLATE, {"form": form}, status=400)
        number, contact = form.cleaned_data["number"], form.cleaned_data["contact"]
        if tracking.is_throttled(request, number):
            context = {"form": form, "error": _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 15 phút.")}
            return render(request, TEMPLATE, context, status=429)
        order = tracking.find_order(number, contact)
        if order is None:
            tracking.record_failure(request, number)
            context = {
                "form": form,
                "error": _(
                    "Không tìm thấy đơn hàng với mã và email/số điện thoại này. "
                    "Hãy kiểm tra lại mã đơn hàng trong email xác nhận."
                ),
            }
            return render(request, TEMPLATE, context, status=404)
        return render(request, TEMPLATE, result_context(order, form=tracking.OrderTrackingForm()))


@method_decorator(never_cache, name="dispatch")
class SignedOrderStatusView(View):
    """The link in order emails: the number signed by the shop, no form to fill in."""

    def get(self, request, number, signature):
        order = Order._default_manager.filter(number=number).first()
        if order is None or not order.check_verification_hash(signature):
            raise Http404
        return render(request, TEMPLATE, result_context(order))


def result_context(order, **extra) -> dict:
    return {
        "order": order,
        "status_label": statuses.label(order.status),
        **tracking.tracking_context(order),
        **extra,
    }
