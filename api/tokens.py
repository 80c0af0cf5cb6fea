"""Issuing, checking and revoking personal API tokens (the writes and the one lookup of api.models.ApiToken)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ApiToken
from .rules import may_use_staff_api

KEY_PREFIX = "ami_"
# A token's last use is written at most this often: not one write per request.
LAST_USED_PRECISION = timedelta(minutes=1)
VALIDITY_DAYS = (30, 90, 365)


def hash_key(key: str) -> str:
    """The stored form of a token. The token holds 256 random bits, so a plain SHA-256 cannot be reversed."""
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, user, name: str, valid_days: int, now: datetime) -> tuple[ApiToken, str]:
    """Create a token for ``user`` valid ``valid_days`` days from ``now``; return it with its secret key, which is
    never stored and cannot be shown again. Refused (ValidationError) to anyone the staff API would refuse."""
    if not may_use_staff_api(user):
        raise ValidationError(_("Only Cnam staff who may read dossiers in the administration can hold an API token."))
    if valid_days not in VALIDITY_DAYS:
        raise ValidationError(_("Choose a validity of 30, 90 or 365 days."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_prefix=key[: len(KEY_PREFIX) + 6],
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    token.full_clean()
    token.save()
    return token, key


def revoke_token(*, token: ApiToken, by, now: datetime) -> ApiToken:
    """Revoke ``token`` at ``now`` (idempotent: a revoked token keeps its first revocation)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at, token.revoked_by = now, by
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def usable_token(key: str, *, now: datetime) -> ApiToken | None:
    """The token ``key`` if it exists, is neither revoked nor expired at ``now`` and belongs to an active user;
    its last use is recorded. None otherwise (the API answers 401, without saying which case it was)."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.is_usable_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user)
