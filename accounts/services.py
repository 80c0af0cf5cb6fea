"""Accounts: sign-up with e-mail verification, and the e-mails of an account's life.

Nothing here tells its caller whether an address has an account: the views show the same page either way, and the
address itself receives the message that fits (verification link, or "you already have an account").
"""

import enum
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from notifications.models import EmailKind, OutboxMessage
from notifications.services import queue_email

from .addresses import normalise_email
from .models import OfficialProfile, User
from .tokens import email_verification_token

logger = logging.getLogger(__name__)

# At most one e-mail of each kind per account in this window, however often the forms are posted:
# the forms cannot be used to flood a mailbox.
EMAIL_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class OfficialDetails:
    first_name: str
    last_name: str
    role: str
    phone: str
    commune: object | None = None
    epci: object | None = None


class Verification(enum.Enum):
    DONE = "done"
    ALREADY_DONE = "already_done"
    INVALID = "invalid"


def _window(now: datetime) -> int:
    return int(now.timestamp() // EMAIL_WINDOW_SECONDS)


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_from_uidb64(uidb64: str) -> User | None:
    try:
        return User.objects.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None


def verification_url(*, user: User, base_url: str, next_url: str = "") -> str:
    path = reverse("accounts:verify", kwargs={"uidb64": _uid(user), "token": email_verification_token.make_token(user)})
    return f"{base_url}{path}" + (f"?{urlencode({'next': next_url})}" if next_url else "")


def sign_up_official(
    *,
    email: str,
    password: str,
    details: OfficialDetails,
    base_url: str,
    next_url: str = "",
    language: str = "fr",
    now: datetime | None = None,
) -> User | None:
    """Create an inactive account with its official profile and queue the verification e-mail, atomically.

    When the address already has an account nothing is created or changed and None is returned: an account still
    awaiting verification gets a new verification link, an active one a "you already have an account — log in or
    reset your password" message, a deactivated one nothing. The caller shows the same page in every case.
    ``language`` (the page's) becomes the new account's e-mail language.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = _create_pending_official(
                    email=email, password=password, details=details, language=language, now=now
                )
                send_verification_email(user=user, base_url=base_url, next_url=next_url, now=now)
            return user
        except IntegrityError:  # a concurrent sign-up with the same address won the race
            existing = User.objects.get(email__iexact=email)
    make_password(password)  # the same hashing work as a creation, so that the response time tells nothing either
    _answer_existing(existing, base_url=base_url, next_url=next_url, now=now)
    return None


def _create_pending_official(
    *, email: str, password: str, details: OfficialDetails, language: str, now: datetime
) -> User:
    user = User(
        email=email,
        username=email,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        preferred_language=language,
        is_active=False,
    )
    user.set_password(password)
    # username mirrors the address (set in save()); Django's username rules do not apply to it.
    user.full_clean(exclude=["username", "password"])
    user.save()
    profile = OfficialProfile(
        user=user,
        role=details.role,
        phone=details.phone.strip(),
        commune=details.commune,
        epci=details.epci,
        data_notice_accepted_at=now,
    )
    profile.full_clean()
    profile.save()
    return user


def _answer_existing(user: User, *, base_url: str, next_url: str, now: datetime) -> None:
    if user.awaits_verification:
        send_verification_email(user=user, base_url=base_url, next_url=next_url, now=now)
    elif user.is_active:
        queue_email(
            kind=EmailKind.VERIFY_EMAIL,
            key=f"account-exists:{user.pk}:{_window(now)}",
            recipient=user,
            context={
                "account_exists": True,
                "login_url": f"{base_url}{reverse('accounts:login')}",
                "reset_url": f"{base_url}{reverse('accounts:password_reset')}",
            },
        )


def send_verification_email(
    *, user: User, base_url: str, next_url: str = "", now: datetime | None = None
) -> OutboxMessage | None:
    """Queue the verification link of an account awaiting verification (at most one per account and window).

    Returns None, sending nothing, for an account that does not await verification.
    """
    if not user.awaits_verification:
        return None
    now = now or timezone.now()
    return queue_email(
        kind=EmailKind.VERIFY_EMAIL,
        key=f"verify-email:{user.pk}:{_window(now)}",
        recipient=user,
        context={"verify_url": verification_url(user=user, base_url=base_url, next_url=next_url), "user": user},
    )


def request_verification_resend(*, email: str, base_url: str) -> None:
    """Arrange for a new verification link to reach ``email`` if it awaits verification; return at once.

    Like ``request_password_reset``: the request looks nothing up and queues the same task for every address.
    """
    email = normalise_email(email)
    transaction.on_commit(lambda: _enqueue("task_resend_verification", email=email, base_url=base_url))


def resend_verification(*, email: str, base_url: str, now: datetime | None = None) -> None:
    """Send a new verification link if ``email`` belongs to an account awaiting verification; otherwise nothing.

    The worker's part of ``request_verification_resend`` (task ``accounts.resend_verification``)."""
    user = User.objects.filter(email__iexact=normalise_email(email)).first()
    if user is not None:
        send_verification_email(user=user, base_url=base_url, now=now)


def verify_email_address(*, uidb64: str, token: str, now: datetime | None = None) -> tuple[Verification, User | None]:
    """Activate the account of a valid, unexpired verification link; idempotent.

    A link of an account that an administrator deactivated after its verification reactivates nothing (INVALID).
    """
    user = user_from_uidb64(uidb64)
    if user is None or not email_verification_token.check_token(user, token):
        return Verification.INVALID, None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.email_verified_at is not None:
            return (Verification.ALREADY_DONE if user.is_active else Verification.INVALID), user
        user.is_active = True
        user.email_verified_at = now or timezone.now()
        user.save(update_fields=["is_active", "email_verified_at"])
    return Verification.DONE, user


def verify_by_password_reset(*, user: User, now: datetime | None = None) -> None:
    """A password-reset link proves the owner reads the mailbox, as a verification link would: activate a pending
    sign-up (and only a pending one — a deactivated account stays deactivated)."""
    if user.awaits_verification:
        user.is_active = True
        user.email_verified_at = now or timezone.now()
        user.save(update_fields=["is_active", "email_verified_at"])


def request_password_reset(*, email: str, base_url: str) -> None:
    """Arrange for a reset link to reach ``email`` if it belongs to an account that may reset; return at once.

    The request does the same work for every address: it looks nothing up and, after the commit, hands the
    address to a worker (``send_password_reset``). Neither the page nor the response time tells whether the
    address has an account.
    """
    email = normalise_email(email)
    transaction.on_commit(lambda: _enqueue("task_send_password_reset", email=email, base_url=base_url))


def _enqueue(task_name: str, **kwargs) -> None:
    from . import tasks

    try:
        getattr(tasks, task_name).delay(**kwargs)
    except Exception:  # broker down: the user asks again; the page promised nothing but "if the address has an account"
        logger.warning("Task %s could not be queued.", task_name, exc_info=True)


def password_reset_recipient(*, email: str) -> User | None:
    """The account a reset link for ``email`` goes to: active, or a sign-up awaiting verification (the link proves
    the mailbox, and resetting verifies the address), with a usable password. None otherwise."""
    user = User.objects.filter(email__iexact=normalise_email(email)).first()
    if user is None or not (user.is_active or user.awaits_verification) or not user.has_usable_password():
        return None
    return user


def send_password_reset(*, email: str, base_url: str, now: datetime | None = None) -> OutboxMessage | None:
    """Queue the reset link of the account of ``email``, if any may reset (see ``password_reset_recipient``).

    Idempotent within the e-mail window (see ``queue_password_reset``); returns None when nothing is sent.
    """
    user = password_reset_recipient(email=email)
    if user is None:
        return None
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": _uid(user), "token": default_token_generator.make_token(user)},
    )
    return queue_password_reset(user=user, reset_url=f"{base_url}{path}", now=now)


def queue_password_reset(*, user: User, reset_url: str, now: datetime | None = None) -> OutboxMessage:
    """Queue the reset link: at most one per account and window, and a new one as soon as the password changed."""
    now = now or timezone.now()
    password_tag = hashlib.sha256(user.password.encode()).hexdigest()[:12]
    return queue_email(
        kind=EmailKind.PASSWORD_RESET,
        key=f"password-reset:{user.pk}:{_window(now)}:{password_tag}",
        recipient=user,
        context={"reset_url": reset_url, "user": user},
    )


def landing_url_for(user) -> str:
    """Where a user lands after logging in when no page was asked for."""
    from django.urls import reverse

    if user.is_staff:
        return reverse("admin:index")
    if user.has_perm("public.use_press_area") and not hasattr(user, "official_profile"):
        return reverse("press-home")
    return reverse("applications:home")
