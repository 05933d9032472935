"""Staff views: the second-factor step after the password, two-factor settings, the audit report."""

import django_filters
import django_otp
from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from oscar.templatetags.currency_filters import currency
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from catalog.scoping import is_platform_admin
from shop.staff import audit, twofactor
from shop.staff.forms import CodeForm, SetupCodeForm

NEW_CODES_SESSION_KEY = "staff_2fa_new_codes"


def _next_url(request, default=None):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return default or reverse("wagtailadmin_home")


# SECOND FACTOR AFTER THE PASSWORD
# ------------------------------------------------------------------------------
@never_cache
def verify(request):
    """Asks for the app's code (or a recovery code) before any staff page answers."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if twofactor.is_verified(user) or not twofactor.has_two_factor(user):
        return redirect(next_url)
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.result.device)
        if form.result.device.__class__.__name__ == "StaticDevice":
            left = twofactor.recovery_codes_left(user)
            messages.warning(
                request,
                _("Bạn vừa dùng một mã khôi phục; còn %(left)s mã. Tạo mã mới trong Tài khoản → Xác thực hai bước.")
                % {"left": left},
            )
        return redirect(next_url)
    return render(request, "staff/two_factor_verify.html", {"form": form, "next": next_url})


# TWO-FACTOR SETTINGS (Wagtail account → Xác thực hai bước)
# ------------------------------------------------------------------------------
def _with_next(url, request):
    """`url` carrying on the page the user was going to (when setting up is required first)."""
    wanted = request.POST.get("next") or request.GET.get("next")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return f"{url}?{urlencode({'next': wanted})}"
    return url


def _render_settings(request, status=200, **forms):
    user = request.user
    enabled = twofactor.has_two_factor(user)
    pending = twofactor.pending_device(user)
    context = {
        "enabled": enabled,
        "required": twofactor.is_required_for(user),
        "pending": pending,
        "codes_left": twofactor.recovery_codes_left(user) if enabled else 0,
        "next": _next_url(request, "") if (request.GET.get("next") or request.POST.get("next")) else "",
    }
    if pending:
        context["qr_svg"] = twofactor.qr_svg(pending)
        context["secret"] = twofactor.secret_for_typing(pending)
        context["setup_form"] = SetupCodeForm(user=user)
    if enabled:
        context["disable_form"] = CodeForm(user=user, prefix="disable")
        context["codes_form"] = CodeForm(user=user, prefix="codes")
    context.update(forms)
    return render(request, "staff/two_factor_manage.html", context, status=status)


@never_cache
def manage(request):
    """Two-factor on or off; while setting up, the QR code and the secret of the new device."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            twofactor.start_setup(request.user)
        elif action == "cancel":
            twofactor.cancel_setup(request.user)
        return redirect(_with_next(reverse("staff_2fa_manage"), request))
    return _render_settings(request)


@never_cache
@require_POST
def confirm(request):
    pending = twofactor.pending_device(request.user)
    if pending is None:
        return redirect(_with_next(reverse("staff_2fa_manage"), request))
    form = SetupCodeForm(
        request.POST, user=request.user, check=lambda user, code: twofactor.check_code(user, code, device=pending)
    )
    if not form.is_valid():
        return _render_settings(request, status=400, setup_form=form)
    request.session[NEW_CODES_SESSION_KEY] = twofactor.finish_setup(request, pending)
    messages.success(request, _("Đã bật xác thực hai bước."))
    return redirect(_with_next(reverse("staff_2fa_codes"), request))


@never_cache
def codes(request):
    """New recovery codes, shown once; POST (with a current code) makes a new set."""
    user = request.user
    if request.method == "POST":
        if not twofactor.has_two_factor(user):
            return redirect("staff_2fa_manage")
        form = CodeForm(request.POST, user=user, prefix="codes")
        if not form.is_valid():
            return _render_settings(request, status=400, codes_form=form)
        request.session[NEW_CODES_SESSION_KEY] = twofactor.new_recovery_codes(user)
        return redirect("staff_2fa_codes")
    new_codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    context = {"codes": new_codes, "next": _next_url(request, "") if request.GET.get("next") else ""}
    return render(request, "staff/two_factor_codes.html", context)


@never_cache
@require_POST
def disable(request):
    user = request.user
    if twofactor.is_required_for(user):
        messages.error(request, _("Xác thực hai bước là bắt buộc cho tài khoản quản trị; không tắt được."))
        return redirect("staff_2fa_manage")
    form = CodeForm(request.POST, user=user, prefix="disable")
    if not form.is_valid():
        return _render_settings(request, status=400, disable_form=form)
    twofactor.remove_devices(user)
    messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("staff_2fa_manage")


# AUDIT REPORT (Reports → Nhật ký thay đổi), platform admins only
# ------------------------------------------------------------------------------
def _plain(value, money):
    """A value for the spreadsheet export: money through Oscar's currency filter, like the page."""
    if money and value != "":
        return currency(value) if value is not None else "—"
    return str(value)


def _change_text(change):
    new = _plain(change.new, change.money)
    return (
        f"{change.field}: {new}" if change.old == "" else f"{change.field}: {_plain(change.old, change.money)} → {new}"
    )


def audited_content_types():
    return ContentType.objects.get_for_models(*audit.audited_models()).values()


class AuditLogFilterSet(WagtailFilterSet):
    content_type = django_filters.ModelChoiceFilter(
        label=_("Loại dữ liệu"),
        queryset=lambda request: ContentType.objects.filter(pk__in=[ct.pk for ct in audited_content_types()]),
    )
    object = django_filters.CharFilter(
        label=_("Đối tượng"),
        method="filter_object",
        help_text=_("Mã số (ID) hoặc một phần tên, ví dụ mã lô hay số đơn hàng."),
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Người thay đổi"),
        queryset=lambda request: (
            get_user_model()
            .objects.filter(pk__in=LogEntry.objects.exclude(actor=None).values("actor"))
            .order_by(get_user_model().USERNAME_FIELD)
        ),
    )
    timestamp = django_filters.DateFromToRangeFilter(label=_("Ngày"), widget=DateRangePickerWidget)

    def filter_object(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(object_pk=value) | Q(object_repr__icontains=value))

    class Meta:
        model = LogEntry
        fields = ["content_type", "object", "actor", "timestamp"]


class AuditLogView(ReportView):
    page_title = _("Nhật ký thay đổi")
    header_icon = "history"
    results_template_name = "staff/audit_report_results.html"
    filterset_class = AuditLogFilterSet
    index_url_name = "staff_audit_log"
    index_results_url_name = "staff_audit_log_results"
    paginate_by = 50
    is_searchable = True
    search_fields = ["object_repr", "object_pk", "actor__username", "actor__email"]
    export_headings = {
        "timestamp": _("Thời điểm"),
        "model_label": _("Loại dữ liệu"),
        "object_pk": _("Mã số"),
        "object_repr": _("Đối tượng"),
        "action_label": _("Thao tác"),
        "actor_name": _("Người thay đổi"),
        "changes_text_readable": _("Thay đổi"),
        "source": _("Nguồn"),
    }
    list_export = list(export_headings)

    def dispatch(self, request, *args, **kwargs):
        if not is_platform_admin(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            LogEntry.objects.filter(content_type__in=list(audited_content_types()))
            .select_related("actor", "content_type")
            .order_by("-timestamp", "-pk")
        )

    def get_filtered_queryset(self):
        # Wagtail's listing filters and searches in get_queryset(); ReportView would filter again.
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        entries = audit.decorate(object_list)
        for entry in entries:
            entry.actor_name = (entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else ""
            entry.changes_text_readable = "; ".join(_change_text(change) for change in entry.change_list)
        return entries
