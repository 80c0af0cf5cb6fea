"""The single sign-on rule: who may log in through the provider, and with which roles and régions.

``sign_in_staff`` is called once the provider's tokens are checked (accounts/sso/views.py). It either returns the
portal account, created or updated so that its roles and régions are exactly what the provider's claims map to
(``SsoRoleMapping``, edited in the admin), or raises ``SsoRefused`` with the reason shown on the French refusal page;
a refusal changes nothing in the database.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import Region

from ..addresses import normalise_email
from ..models import SsoIdentity, SsoRoleMapping, StaffProfile, User
from ..roles import Role


class Refusal(models.TextChoices):
    # Refused people (HTTP 403, or 429 while locked out)
    NO_ROLE = "no_role", _("No portal role for this Cnam account")
    DISABLED = "disabled", _("Account deactivated")
    OFFICIAL = "official", _("Account of a local official")
    LOCKED_OUT = "locked_out", _("Too many failed log-in attempts")
    NO_EMAIL = "no_email", _("No verified e-mail address")
    CONFLICT = "conflict", _("Account already bound to another Cnam account")
    # Broken flows (HTTP 400, or 502 when the provider cannot be reached)
    EXPIRED = "expired", _("Log-in request expired")
    PROVIDER_ERROR = "provider_error", _("Log-in interrupted at the provider")
    TOKEN_REJECTED = "token_rejected", _("Log-in not confirmed by the provider")
    UNREACHABLE = "unreachable", _("Cnam log-in service unavailable")


class SsoRefused(Exception):
    def __init__(self, reason: Refusal):
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class MappedAccess:
    groups: frozenset[Group]
    regions: frozenset[Region]

    @property
    def uses_admin(self) -> bool:
        """Every staff role works in the admin except the press, whose area is /presse/."""
        return any(group.name != Role.PRESS for group in self.groups)


def claim_values(claims: dict) -> list[str]:
    """The values of the groups claim (``OIDC_GROUPS_CLAIM``); a provider may send one value as a plain string."""
    raw = claims.get(settings.OIDC_GROUPS_CLAIM)
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        return []
    return [value for value in raw if isinstance(value, str) and value]


def access_for_claims(claims: dict) -> MappedAccess:
    """The union of the roles and régions of every mapping whose claim value the claims hold."""
    mappings = SsoRoleMapping.objects.filter(claim_value__in=claim_values(claims)).prefetch_related("groups", "regions")
    groups, regions = set(), set()
    for mapping in mappings:
        groups.update(mapping.groups.all())
        regions.update(mapping.regions.all())
    return MappedAccess(groups=frozenset(groups), regions=frozenset(regions))


def sign_in_staff(
    *,
    claims: dict,
    issuer: str,
    is_locked_out: Callable[[str], bool] = lambda address: False,
    now=None,
) -> User:
    """The portal account of the provider's user ``claims`` (verified userinfo), roles and régions re-applied.

    Atomic. The account is found by its bound identity (issuer + ``sub``), else by its normalised e-mail address
    (then bound); it is created only when the claims map to at least one role. Refused (``SsoRefused``, nothing
    written): no verified address (and to bind an existing account, ``email_verified`` must be true, not just
    absent), an address bound to another identity, an official's account, a deactivated
    account, an address locked out by the log-in throttling (``is_locked_out(address)``), claims mapped to no role.
    """
    now = now or timezone.now()
    address = normalise_email(claims.get("email"))
    subject = str(claims.get("sub") or "")
    if not _is_address(address) or not subject or claims.get("email_verified") is False:
        raise SsoRefused(Refusal.NO_EMAIL)
    with transaction.atomic():
        user = _bound_account(issuer=issuer, subject=subject, address=address)
        if user is not None and not hasattr(user, "sso_identity") and claims.get("email_verified") is not True:
            # Binding hands an existing account (and its roles) to this provider identity: only on an address the
            # provider says it verified, never on a claim that is merely absent.
            raise SsoRefused(Refusal.NO_EMAIL)
        _check_may_log_in(user, address=address, is_locked_out=is_locked_out)
        access = access_for_claims(claims)
        if not access.groups:
            raise SsoRefused(Refusal.NO_ROLE)
        if user is None:
            user = User(email=address, email_verified_at=now, is_active=True)
            user.set_unusable_password()  # the provider is the only way in
        _apply(user, claims=claims, address=address, access=access)
        SsoIdentity.objects.update_or_create(
            user=user,
            defaults={"issuer": issuer, "subject": subject, "last_sso_login_at": now},
            create_defaults={"issuer": issuer, "subject": subject, "last_sso_login_at": now, "linked_at": now},
        )
    return user


def _is_address(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 150  # the address is also the username


def _bound_account(*, issuer: str, subject: str, address: str) -> User | None:
    identity = SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    by_address = User.objects.filter(email__iexact=address).select_related("sso_identity").first()
    if identity is not None:
        if by_address is not None and by_address != identity.user:
            raise SsoRefused(Refusal.CONFLICT)  # the provider's new address belongs to another portal account
        return identity.user
    if by_address is not None and hasattr(by_address, "sso_identity"):
        raise SsoRefused(Refusal.CONFLICT)  # the address is bound to another provider account
    return by_address


def _check_may_log_in(user: User | None, *, address: str, is_locked_out: Callable[[str], bool]) -> None:
    if user is not None and hasattr(user, "official_profile"):
        raise SsoRefused(Refusal.OFFICIAL)
    if user is not None and not user.is_active:
        raise SsoRefused(Refusal.DISABLED)
    if is_locked_out(user.email if user is not None else address):
        raise SsoRefused(Refusal.LOCKED_OUT)


def _apply(user: User, *, claims: dict, address: str, access: MappedAccess) -> None:
    """The provider is the source of truth: name, address, roles and régions are set to what it says now."""
    user.email = address
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.is_staff = user.is_superuser or access.uses_admin
    user.save()
    user.groups.set(access.groups)
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    profile.regions.set(access.regions)
