"""How a log-in attempt is checked, on every log-in form (the site's and the admin's) and by the throttling.

- ``EmailBackend`` finds the account by its normalised address and hashes the typed password exactly once, whether
  the address is unknown, the password wrong, the account deactivated or awaiting verification, or all is right:
  the response time tells nothing about which accounts exist or what state they are in.
- While single sign-on is on, an account bound to it (``SsoIdentity``) is refused here even with the right
  password: it logs in through the provider only (accounts/sso/).
- ``axes_username`` is django-axes' ``AXES_USERNAME_CALLABLE``: failures are counted under the normalised address,
  so changing the case or adding spaces, or switching between the site and the admin form, does not escape a
  lock-out.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .addresses import normalise_email
from .models import User

# Set on the request when the right password was typed for a sign-up awaiting verification (the log-in is refused
# all the same; the log-in form then tells its owner to open the verification e-mail).
_AWAITING_VERIFICATION = "accounts_awaiting_verification"
# Set on the request when the right password was typed for an account bound to single sign-on while SSO is on.
_BOUND_TO_SSO = "accounts_bound_to_sso"


class EmailBackend(ModelBackend):
    """Django's model backend, looking the address up in its one normalised spelling, with one password hash on
    every path (Django's own backend hashes once too; the log-in form must then not hash a second time)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        address = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if address is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(address)  # normalises the address
        except User.DoesNotExist:
            User().set_password(password)  # the hashing work of a known address
            return None
        if not user.check_password(password):  # an unusable password is hashed too (Django runs a dummy hash)
            return None
        if self.user_can_authenticate(user):
            if _bound_to_sso(user):
                # The provider's MFA and offboarding must not be bypassed by a password kept from before.
                if request is not None:
                    setattr(request, _BOUND_TO_SSO, user)
                return None
            return user
        if user.awaits_verification and request is not None:
            setattr(request, _AWAITING_VERIFICATION, user)
        return None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # The same rules, not Django's separate async copy of its backend.
        return await sync_to_async(self.authenticate)(request, username=username, password=password, **kwargs)


def awaiting_verification(request: HttpRequest | None) -> User | None:
    """The sign-up awaiting verification whose right password this request typed, if any."""
    return getattr(request, _AWAITING_VERIFICATION, None)


def _bound_to_sso(user: User) -> bool:
    from .models import SsoIdentity
    from .sso.config import is_enabled

    return is_enabled() and SsoIdentity.objects.filter(user=user).exists()


def bound_to_sso(request: HttpRequest | None) -> User | None:
    """The account bound to single sign-on whose right password this request typed, if any."""
    return getattr(request, _BOUND_TO_SSO, None)


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The key django-axes counts failures under: the normalised address of the attempt (None when there is none)."""
    if credentials:
        address = credentials.get("username", credentials.get(User.USERNAME_FIELD))
    else:
        address = getattr(request, "data", getattr(request, "POST", {})).get("username")
    return normalise_email(address) if address is not None else None
