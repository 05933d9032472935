"""Two-factor authentication for staff (django-otp): a TOTP app plus one-time recovery codes.

A user has two-factor on when they have a confirmed `TOTPDevice`; their recovery codes are the
tokens of their `StaticDevice`. After the password, `StaffTwoFactorMiddleware` holds every staff
page until `verify()` accepted a code in this session (django-otp keeps the device in the session,
so the session stays verified until logout). With `STAFF_2FA_REQUIRED` a staff user without a device
is sent to set one up first. Wrong codes are throttled per device by django-otp (1, 2, 4, 8 …
seconds), in the database, so every app server sees the same count.
"""

from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
_QR_TITLE = _("Mã QR: thêm tài khoản này vào ứng dụng xác thực")
DEVICE_NAME = "Ứng dụng xác thực"  # stored, shown in Django admin only
RECOVERY_DEVICE_NAME = "Mã khôi phục"


def is_staff_user(user) -> bool:
    """Anyone who can open the Wagtail admin or the Oscar dashboard."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or user.is_staff
            or user.has_perm("wagtailadmin.access_admin")
            or user.has_perm("partner.dashboard_access")
        )
    )


def has_two_factor(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required_for(user) -> bool:
    return bool(settings.STAFF_2FA_REQUIRED) and is_staff_user(user)


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def pending_device(user):
    """The device being set up (shown as a QR code until confirmed with a code), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def start_setup(user) -> TOTPDevice:
    """A fresh secret for `user`'s authenticator app; replaces any setup not yet confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def cancel_setup(user) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI of `device` as an SVG QR code (drawn here, no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="black", light="white", title=_QR_TITLE
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


@dataclass
class Check:
    device: object = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def check_code(user, code: str, *, device=None) -> Check:
    """Whether `code` is `user`'s current app code or one of their unused recovery codes.

    Six digits are checked against the app (or against `device`, during setup); anything else
    against the recovery codes, and a recovery code that matches is used up. A device throttled
    by earlier wrong codes refuses without looking and says until when.
    """
    code = normalise(code)
    if not code:
        return Check()
    with transaction.atomic():
        if device is not None:
            candidates = [TOTPDevice.objects.select_for_update().get(pk=device.pk)]
        elif code.isdigit() and len(code) == 6:
            candidates = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        else:
            candidates = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        locked_until = None
        for candidate in candidates:
            allowed, info = candidate.verify_is_allowed()
            if not allowed:
                locked_until = max(filter(None, [locked_until, (info or {}).get("locked_until")]), default=None)
                continue
            if candidate.verify_token(code):
                return Check(device=candidate)
    return Check(locked_until=locked_until)


def verify(request, code: str) -> Check:
    """Check `code` for the logged-in user and, if right, mark this session as verified."""
    result = check_code(request.user, code)
    if result.ok:
        django_otp.login(request, result.device)
    return result


def new_recovery_codes(user) -> list[str]:
    """Replace `user`'s recovery codes with RECOVERY_CODE_COUNT new ones; returns them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_DEVICE_NAME})
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def finish_setup(request, device: TOTPDevice) -> list[str]:
    """Turn two-factor on once the app showed the right code (`check_code(..., device=device)`):
    the device is confirmed, any older app device goes, new recovery codes are made (returned, to
    be shown once) and this session counts as verified."""
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(request.user)
    django_otp.login(request, device)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_devices(user) -> int:
    """Turn two-factor off for `user` (their own choice with a code, or a platform admin's reset)."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _ = model.objects.filter(user=user).delete()
        removed += count
    return removed
