"""Forms of the accounts pages. Validation messages are French through the catalogue (Django's own for passwords)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cities.forms import CommuneChoiceField, EpciChoiceField

from . import services
from .addresses import normalise_email
from .backends import awaiting_verification, bound_to_sso
from .models import OfficialProfile, OfficialRole, User

# The address is also the username (max. 150 characters in the database).
EMAIL_MAX_LENGTH = 150


class _CrispyFieldsOnly:
    """The template writes the <form> tag and the buttons; crispy renders the fields."""

    def _init_helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


def _notice_label():
    return format_html(
        # A new tab: following the link must not lose what was typed in the form.
        _(
            'I have read the <a href="{url}" target="_blank" rel="noopener">personal-data notice</a> '
            "(opens in a new tab)"
        ),
        url=reverse("accounts:privacy"),
    )


class TerritoryFieldsMixin:
    """Commune and/or EPCI the official acts for: at least one."""

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors.get("commune")
            and not self.errors.get("epci")
            and not (cleaned.get("commune") or cleaned.get("epci"))
        ):
            raise ValidationError(
                _("Give the commune or the intercommunality (EPCI) you act for."), code="no_territory"
            )
        return cleaned


class SignUpForm(_CrispyFieldsOnly, TerritoryFieldsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again."),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    role = forms.ChoiceField(
        label=_("Role in the collectivity"), choices=[("", _("— choose —")), *OfficialRole.choices]
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    commune = CommuneChoiceField(label=_("Commune"), required=False)
    epci = EpciChoiceField(
        label=_("Intercommunality (EPCI)"),
        required=False,
        help_text=_("Fill in the commune, the intercommunality, or both."),
    )
    accept_notice = forms.BooleanField(
        label=_("I have read the personal-data notice"),
        error_messages={"required": _("You must accept the personal-data notice to create an account.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the label holds a link to the notice (reversed and translated now).
        self.fields["accept_notice"].label = _notice_label()
        self._init_helper()

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise ValidationError(_("The two passwords do not match."), code="password_mismatch")
        return password2

    def _post_clean(self):
        super()._post_clean()
        # Validate the password against the would-be user (similarity to the name and the address).
        password = self.cleaned_data.get("password2")
        if password:
            candidate = User(
                email=self.cleaned_data.get("email", ""),
                first_name=self.cleaned_data.get("first_name", ""),
                last_name=self.cleaned_data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password2", error)

    def details(self) -> services.OfficialDetails:
        data = self.cleaned_data
        return services.OfficialDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            phone=data["phone"],
            commune=data["commune"],
            epci=data["epci"],
        )


class LoginForm(_CrispyFieldsOnly, auth_forms.AuthenticationForm):
    """Log in by e-mail address. A sign-up awaiting verification with the right password is told so and sent a new
    link; anything else gets the one generic error (no enumeration)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Wrong e-mail address or password. Note that the password is case-sensitive."),
        "inactive": _("This account is deactivated."),
        "unverified": _(
            "Your e-mail address is not confirmed yet. Open the link of the e-mail we sent you; "
            "we have just sent a new one."
        ),
        "bound_to_sso": _('This account logs in with the Cnam account: use the button "Log in with the Cnam account".'),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = _("Password")
        self._init_helper()

    def clean_username(self):
        # One spelling per address (the backend and the throttling normalise the same way).
        return normalise_email(self.cleaned_data["username"])

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # Only after the throttled authentication failed, and never while locked out: no way around axes.
            # The backend has checked the password (hashing it once, as on every attempt); nothing is hashed here.
            locked_out = getattr(self.request, "axes_locked_out", False)
            if bound_to_sso(self.request) is not None and not locked_out:
                raise ValidationError(self.error_messages["bound_to_sso"], code="bound_to_sso") from None
            pending = awaiting_verification(self.request)
            if pending is not None and not locked_out:
                base_url = self.request.build_absolute_uri("/").rstrip("/")
                services.send_verification_email(user=pending, base_url=base_url)
                raise ValidationError(self.error_messages["unverified"], code="unverified") from None
            raise


class ResendVerificationForm(_CrispyFieldsOnly, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class PasswordResetForm(_CrispyFieldsOnly, forms.Form):
    """The address to send a reset link to; the view hands it to ``services.request_password_reset``."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class SetPasswordForm(_CrispyFieldsOnly, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            services.verify_by_password_reset(user=user)
        return user


class PasswordChangeForm(_CrispyFieldsOnly, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()


class UserDetailsForm(_CrispyFieldsOnly, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "preferred_language": _("Language of the e-mails"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self._init_helper()


class OfficialProfileForm(_CrispyFieldsOnly, TerritoryFieldsMixin, forms.ModelForm):
    commune = CommuneChoiceField(label=_("Commune"), required=False)
    epci = EpciChoiceField(
        label=_("Intercommunality (EPCI)"),
        required=False,
        help_text=_("Fill in the commune, the intercommunality, or both."),
    )

    class Meta:
        model = OfficialProfile
        fields = ["role", "phone", "commune", "epci"]
        labels = {"role": _("Role in the collectivity"), "phone": _("Phone")}
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same blank choice as the sign-up form, not Django's bare "---------".
        self.fields["role"].choices = [("", _("— choose —")), *OfficialRole.choices]
        self._init_helper()
