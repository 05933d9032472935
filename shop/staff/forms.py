"""Forms of staff accounts: the admin login, the two-factor code, and the platform admin's user form
with the cooperative and role (which calls `catalog.scoping.assign`)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from catalog.models import Cooperative, CooperativeMembership
from catalog.scoping import assign, unassign
from shop.staff import twofactor


class LoginForm(WagtailLoginForm):
    """Wagtail's admin login with the password's label back (WAGTAILADMIN_USER_LOGIN_FORM).

    Wagtail redeclares `password` without a label, so the page showed the field name, "Password", in
    every language; Django's own label, which its catalogues translate ("Mật khẩu"), is restored.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = AuthenticationForm.base_fields["password"].label


class CodeForm(forms.Form):
    """One field for the six digits of the app, or a recovery code."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("Sáu chữ số trong ứng dụng xác thực, hoặc một mã khôi phục."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off", "autofocus": True}
        ),
    )

    def __init__(self, *args, user, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # check(user, code) -> twofactor.Check; by default the user's own app or recovery codes.
        self.check = check or (lambda user, code: twofactor.check_code(user, code))
        self.result = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.result = self.check(self.user, code)
        if self.result.locked_until:
            raise forms.ValidationError(
                _("Đã nhập sai nhiều lần. Hãy thử lại sau %(time)s.")
                % {"time": formats.time_format(timezone.localtime(self.result.locked_until), "H:i:s")},
                code="throttled",
            )
        if not self.result.ok:
            raise forms.ValidationError(_("Mã không đúng hoặc đã hết hạn."), code="invalid")
        return code


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Mã sáu chữ số trong ứng dụng"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class CooperativeRoleMixin(forms.Form):
    """ "Hợp tác xã" and "Vai trò" on Wagtail's user forms, saved through `catalog.scoping.assign`.

    Both empty: a platform user (no cooperative). A superuser never belongs to a cooperative.
    """

    cooperative = forms.ModelChoiceField(
        queryset=Cooperative.objects.order_by("name"),
        required=False,
        label=_("Hợp tác xã"),
        help_text=_("Người dùng chỉ thấy và sửa dữ liệu của hợp tác xã này. Để trống cho người quản trị nền tảng."),
    )
    role = forms.ChoiceField(
        choices=[("", "---------"), *CooperativeMembership.Role.choices],
        required=False,
        label=_("Vai trò"),
        help_text=_("Quản lý HTX được xoá và sửa thông tin hợp tác xã; nhân viên HTX thêm và sửa."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = (
            CooperativeMembership.objects.filter(user_id=self.instance.pk).first() if self.instance.pk else None
        )
        if membership:
            self.initial.setdefault("cooperative", membership.cooperative_id)
            self.initial.setdefault("role", membership.role)

    def clean(self):
        cleaned = super().clean()
        cooperative, role = cleaned.get("cooperative"), cleaned.get("role")
        if cooperative and not role:
            self.add_error("role", _("Chọn vai trò trong hợp tác xã."))
        if role and not cooperative:
            self.add_error("cooperative", _("Chọn hợp tác xã cho vai trò này."))
        if cooperative and cleaned.get("is_superuser", self.instance.is_superuser):
            self.add_error(
                "cooperative",
                _("Người quản trị nền tảng thấy mọi hợp tác xã; bỏ chọn hợp tác xã hoặc bỏ quyền quản trị."),
            )
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            self.save_membership(user)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_membership():
                save_m2m()
                self.save_membership(user)

            self.save_m2m = save_m2m_and_membership
        return user

    @transaction.atomic
    def save_membership(self, user):
        # After the groups field is saved, so the role's group is not taken away again.
        cooperative, role = self.cleaned_data.get("cooperative"), self.cleaned_data.get("role")
        if cooperative and role:
            assign(user, cooperative, role)
        elif CooperativeMembership.objects.filter(user=user).exists():
            unassign(user)


class TwoFactorResetMixin(forms.Form):
    """The platform admin's reset for a user who lost their phone and their recovery codes."""

    reset_two_factor = forms.BooleanField(
        required=False,
        label=_("Tắt xác thực hai bước của người này"),
        help_text=_(
            "Khi người dùng mất điện thoại và mã khôi phục: xoá ứng dụng xác thực và mã khôi phục của họ. "
            "Họ đăng nhập bằng mật khẩu và bật lại."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and twofactor.has_two_factor(self.instance)):
            del self.fields["reset_two_factor"]

    def save(self, commit=True):
        user = super().save(commit=commit)
        if self.cleaned_data.get("reset_two_factor"):
            twofactor.remove_devices(user)
        return user


class StaffUserCreationForm(CooperativeRoleMixin, UserCreationForm):
    pass


class StaffUserEditForm(TwoFactorResetMixin, CooperativeRoleMixin, UserEditForm):
    pass
