"""Request-level pieces of staff security: the second factor before staff pages, and the audit actor."""

from auditlog.middleware import AuditlogMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from shop.order.tracking import client_address
from shop.staff import twofactor

# Every staff area: the Wagtail admin, Django's admin, the Oscar dashboard, staff payment actions.
STAFF_PATHS = ("/admin/", "/django-admin/", "/shop/dashboard/", "/en/shop/dashboard/", "/payment/orders/")
# Open to a user between password and code: logging in or out, the code page, what pages load.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_password_reset",
    "staff_2fa_verify",
}
# Also open to a user who must set two-factor up before going further (STAFF_2FA_REQUIRED).
SETUP_URL_NAMES = {"staff_2fa_manage", "staff_2fa_confirm", "staff_2fa_codes"}


def _url_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


class StaffTwoFactorMiddleware:
    """After the password, staff pages answer only once this session gave the second factor.

    A user with two-factor on is sent to the code page; with `STAFF_2FA_REQUIRED`, a staff user
    without it is sent to set it up. Public pages are never held (and never look at the user here).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(STAFF_PATHS):
            held = self.hold(request)
            if held is not None:
                return held
        return self.get_response(request)

    def hold(self, request):
        user = request.user
        if not user.is_authenticated or twofactor.is_verified(user):
            return None
        name = _url_name(request.path_info)
        if name in OPEN_URL_NAMES:
            return None
        if twofactor.has_two_factor(user):
            target = "staff_2fa_verify"
        elif twofactor.is_required_for(user):
            if name in SETUP_URL_NAMES:
                return None
            target = "staff_2fa_manage"
        else:
            return None
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware with the shop's client address and the request path as source."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None

    @staticmethod
    def _get_actor(request):
        # auditlog sets the actor only if this is a User when an entry is saved; request.user
        # stays lazy, so requests that write nothing never load the user for the audit.
        return getattr(request, "user", None)

    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        data["additional_data"] = {"path": request.path, "method": request.method}
        return data
