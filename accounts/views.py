"""Account pages: thin views around Django's authentication views and accounts.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import services
from .forms import (
    LoginForm,
    OfficialProfileForm,
    PasswordChangeForm,
    PasswordResetForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignUpForm,
    UserDetailsForm,
)
from .sso import config as sso_config
from .sso import views as sso_views


def _base_url(request) -> str:
    """Scheme and host of this request (a host outside ALLOWED_HOSTS never gets this far)."""
    return request.build_absolute_uri("/").rstrip("/")


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _page_language(request) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _login_url(*, email: str = "", next_url: str = "") -> str:
    query = {key: value for key, value in (("email", email), ("next", next_url)) if value}
    return reverse("accounts:login") + (f"?{urlencode(query)}" if query else "")


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        services.sign_up_official(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            details=form.details(),
            base_url=_base_url(request),
            next_url=next_url,
            language=_page_language(request),
        )
        # Same page whether the address had an account or not: the mailbox tells its owner which.
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    return render(request, "accounts/signup_done.html")


@never_cache
def verify(request, uidb64, token):
    result, user = services.verify_email_address(uidb64=uidb64, token=token)
    next_url = _safe_next(request, request.GET.get("next"))
    if result is services.Verification.INVALID:
        return render(request, "accounts/verify_invalid.html", status=400)
    if result is services.Verification.DONE:
        messages.success(request, _("Your e-mail address is confirmed. You can now log in."))
    else:
        messages.info(request, _("Your e-mail address was already confirmed. You can log in."))
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    # No log-in by link: the password check (and its throttling) stays the one way in.
    return redirect(_login_url(email=user.email, next_url=next_url))


@csrf_protect
@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        services.request_verification_resend(email=form.cleaned_data["email"], base_url=_base_url(request))
        return redirect("accounts:signup_done")
    return render(request, "accounts/resend_verification.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_initial(self):
        return {**super().get_initial(), "username": self.request.GET.get("email", "")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": sso_config.is_enabled()}

    def get_default_redirect_url(self):
        """Without a ``next``, each role lands where its work is: staff in the admin, press in the press area."""
        return services.landing_url_for(self.request.user)


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (the navigation bar has a log-out button in a form); a GET, e.g. a typed or
    bookmarked address, shows a page with that button instead of a bare "405 method not allowed"."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "accounts/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        # A session opened through single sign-on is also closed at the provider (read before the session is
        # flushed); the provider then sends the browser back to the home page.
        provider_url = sso_views.provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(provider_url) if provider_url else response


class PasswordResetView(auth_views.PasswordResetView):
    """The same work and the same next page for every address (see ``services.request_password_reset``)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.request_password_reset(email=form.cleaned_data["email"], base_url=_base_url(self.request))
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your password has been changed.")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    official = getattr(user, "official_profile", None)
    data = request.POST or None
    user_form = UserDetailsForm(data, instance=user, prefix="user")
    official_form = OfficialProfileForm(data, instance=official, prefix="official") if official else None
    forms = [f for f in (user_form, official_form) if f is not None]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        with transaction.atomic():
            for form in forms:
                form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"user_form": user_form, "official_form": official_form})


def privacy(request):
    return render(request, "accounts/privacy.html")
