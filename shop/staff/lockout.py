"""Failed-login limits (django-axes): which logins are counted together, and the lockout page.

Every login form goes through Django's `authenticate()`, where `axes.backends.AxesStandaloneBackend`
counts failures in the database (`AXES_HANDLER`); past `LOGIN_FAILURE_LIMIT` failures in
`LOGIN_LOCKOUT_MINUTES` the login is refused without checking the password, and AxesMiddleware
answers with `lockout_response`. A locked-out unknown account looks exactly like a known one.
"""

LOCKOUT_PARAMETER_NAMES = {"username", "ip_address", "user_agent"}


def lockout_parameters(text: str) -> list:
    """`AXES_LOCKOUT_PARAMETERS` from "ip_address,username+ip_address": commas separate criteria
    (any one locks), "+" joins fields that count together."""
    parameters = []
    for criterion in filter(None, (part.strip() for part in text.split(","))):
        fields = [name.strip() for name in criterion.split("+")]
        unknown = set(fields) - LOCKOUT_PARAMETER_NAMES
        if unknown:
            raise ValueError(f"LOGIN_LOCKOUT_BY: unknown {', '.join(sorted(unknown))}")
        parameters.append(fields[0] if len(fields) == 1 else fields)
    if not parameters:
        raise ValueError("LOGIN_LOCKOUT_BY names no field")
    return parameters


STAFF_PATH_PREFIXES = ("/admin/", "/django-admin/", "/shop/dashboard/", "/en/shop/dashboard/")


def unlock_time(request, credentials):
    """When the lockout that refused this request ends: the last counted failure + the cool-off."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_cool_off
    from django.db.models import Max
    from django.utils import timezone

    cool_off = get_cool_off(request)
    handler = AxesProxyHandler.get_implementation()
    last = None
    if hasattr(handler, "get_user_attempts"):  # the database handler (ours)
        for attempts in handler.get_user_attempts(request, credentials):
            latest = attempts.aggregate(latest=Max("attempt_time"))["latest"]
            last = max(filter(None, [last, latest]), default=None)
    return (last or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429): in the visitor's language, naming when to try again.

    It never says whether the account exists: an unknown username is counted and locked the same way.
    """
    from django.conf import settings
    from django.shortcuts import render
    from django.utils import timezone

    until = unlock_time(request, credentials)
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    staff = request.path.startswith(STAFF_PATH_PREFIXES)
    template = "staff/lockout_admin.html" if staff else "staff/lockout.html"
    context = {
        "unlock_at": timezone.localtime(until),
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response


def username_for_counting(request, credentials=None):
    """The account a login attempt is counted against (`AXES_USERNAME_CALLABLE`).

    The shop's login takes an email, the admin's a username; both name the same account, so an
    email of a known account counts under its username (one count per account, and a successful
    login clears it). Case is ignored. Unknown logins count under what was typed.
    """
    from django.contrib.auth import get_user_model

    data = credentials or getattr(request, "POST", {}) or {}
    typed = data.get("username") or data.get("email") or data.get("login-username") or ""
    typed = str(typed).strip().lower()
    if "@" in typed:
        User = get_user_model()
        username = (
            User._default_manager.filter(email__iexact=typed)
            .order_by("pk")
            .values_list(User.USERNAME_FIELD, flat=True)[:1]
        )
        if username:
            return username[0].lower()
    return typed or None
