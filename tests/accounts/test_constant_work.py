"""Response time must not tell which addresses have an account, nor in which state.

Checked deterministically, not with timings: every log-in attempt hashes the typed password exactly once, whatever
the address (unknown, wrong password, awaiting verification, deactivated, right); a sign-up hashes once whether the
address is new or not; a password-reset request does the same database work and queues the same after-commit work
for a registered and an unknown address, the lookup and the e-mail being the worker's (resend-verification
likewise).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import EmailKind
from tests.factories import CommuneFactory, UserFactory

from .hashers import CountingMD5PasswordHasher
from .support import PASSWORD, mails, sign_up, signup_data

pytestmark = pytest.mark.django_db

FACTORY_PASSWORD = "motdepasse-solide-42"
PENDING = "claire.dumont@mairie.example.fr"  # support.signup_data's address


class HashCount:
    def reset(self):
        CountingMD5PasswordHasher.calls = 0

    @property
    def value(self) -> int:
        return CountingMD5PasswordHasher.calls


@pytest.fixture
def password_hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.CountingMD5PasswordHasher"]
    count = HashCount()
    count.reset()
    return count


@pytest.fixture
def accounts(client):
    """One account in every state, keyed by a name."""
    sign_up(client, CommuneFactory())  # awaiting verification, password support.PASSWORD
    staff_created = UserFactory(email="sans-mot-de-passe@cnam.example.fr")
    staff_created.set_unusable_password()
    staff_created.save()
    return {
        "active": (UserFactory(email="maire@ville.example.fr"), FACTORY_PASSWORD),
        "deactivated": (
            UserFactory(email="ancien@ville.example.fr", is_active=False, email_verified_at=timezone.now()),
            FACTORY_PASSWORD,
        ),
        "pending": (User.objects.get(email=PENDING), PASSWORD),
        "unusable_password": (staff_created, FACTORY_PASSWORD),
    }


LOG_IN_CASES = {
    "unknown address": lambda accounts: ("personne@nulle-part.example.fr", FACTORY_PASSWORD),
    "wrong password": lambda accounts: (accounts["active"][0].email, "wrong-password"),
    "awaiting verification, right password": lambda accounts: (accounts["pending"][0].email, PASSWORD),
    "awaiting verification, wrong password": lambda accounts: (accounts["pending"][0].email, "wrong-password"),
    "deactivated, right password": lambda accounts: (accounts["deactivated"][0].email, FACTORY_PASSWORD),
    "no usable password": lambda accounts: (accounts["unusable_password"][0].email, FACTORY_PASSWORD),
    "right password": lambda accounts: (accounts["active"][0].email.upper(), FACTORY_PASSWORD),
}


@pytest.mark.parametrize("case", LOG_IN_CASES)
def test_a_site_log_in_attempt_hashes_the_password_exactly_once(client, accounts, password_hashes, case):
    email, password = LOG_IN_CASES[case](accounts)
    password_hashes.reset()
    client.post(reverse("accounts:login"), {"username": email, "password": password})
    assert password_hashes.value == 1


@pytest.mark.parametrize("case", LOG_IN_CASES)
def test_an_admin_log_in_attempt_hashes_the_password_exactly_once(client, accounts, password_hashes, case):
    email, password = LOG_IN_CASES[case](accounts)
    password_hashes.reset()
    client.post(reverse("admin:login"), {"username": email, "password": password, "next": reverse("admin:index")})
    assert password_hashes.value == 1


def test_the_right_password_of_a_sign_up_awaiting_verification_is_still_told_to_verify(client, accounts):
    response = client.post(reverse("accounts:login"), {"username": PENDING.upper(), "password": PASSWORD})
    assert "pas encore confirmée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(mails(to=PENDING)) == 1  # the sign-up's link, not a second one within the e-mail window


@pytest.mark.parametrize(
    "email", ["nouvelle@mairie.example.fr", "maire@ville.example.fr", PENDING, "ancien@ville.example.fr"]
)
def test_a_sign_up_hashes_the_password_exactly_once_whether_the_address_is_new_or_not(
    client, accounts, password_hashes, email
):
    password_hashes.reset()
    response = client.post(reverse("accounts:signup"), signup_data(CommuneFactory(insee_code="21425"), email=email))
    assert response.url == reverse("accounts:signup_done")
    assert password_hashes.value == 1


# --- password reset ------------------------------------------------------------------------------------------------


def _request_work(
    client, email, capture, url_name="accounts:password_reset", next_url_name="accounts:password_reset_done"
):
    """What the request itself does: its queries and the callbacks it leaves for after the commit."""
    with CaptureQueriesContext(connection) as queries, capture(execute=False) as callbacks:
        response = client.post(reverse(url_name), {"email": email})
    assert response.url == reverse(next_url_name)
    return queries.captured_queries, callbacks


@pytest.mark.parametrize(
    "email",
    [
        "maire@ville.example.fr",
        " Maire@Ville.example.FR ",
        PENDING,
        "ancien@ville.example.fr",
        "sans-mot-de-passe@cnam.example.fr",
    ],
)
def test_a_reset_request_does_the_same_work_as_for_an_unknown_address(
    client, accounts, password_hashes, django_capture_on_commit_callbacks, email
):
    unknown_queries, unknown_callbacks = _request_work(
        client, "personne@nulle-part.example.fr", django_capture_on_commit_callbacks
    )
    queries, callbacks = _request_work(client, email, django_capture_on_commit_callbacks)
    assert len(queries) == len(unknown_queries)
    assert not any("accounts_user" in query["sql"] for query in queries)
    assert len(callbacks) == len(unknown_callbacks) == 1
    assert password_hashes.value == 0


def test_the_queued_reset_work_mails_a_registered_address_in_any_case(
    client, accounts, django_capture_on_commit_callbacks
):
    _, callbacks = _request_work(client, " Maire@Ville.example.FR ", django_capture_on_commit_callbacks)
    callbacks[0]()
    [mail] = mails(EmailKind.PASSWORD_RESET, "maire@ville.example.fr")
    assert "/compte/mot-de-passe/nouveau/" in mail.body_text


def test_the_queued_reset_work_mails_nobody_for_an_unknown_address(
    client, accounts, django_capture_on_commit_callbacks
):
    _, callbacks = _request_work(client, "personne@nulle-part.example.fr", django_capture_on_commit_callbacks)
    callbacks[0]()
    assert mails(EmailKind.PASSWORD_RESET) == []


# --- resend verification -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", [PENDING, PENDING.upper(), "maire@ville.example.fr", "ancien@ville.example.fr"])
def test_a_resend_verification_request_does_the_same_work_as_for_an_unknown_address(
    client, accounts, django_capture_on_commit_callbacks, email
):
    resend = {"url_name": "accounts:resend_verification", "next_url_name": "accounts:signup_done"}
    unknown_queries, unknown_callbacks = _request_work(
        client, "personne@nulle-part.example.fr", django_capture_on_commit_callbacks, **resend
    )
    queries, callbacks = _request_work(client, email, django_capture_on_commit_callbacks, **resend)
    assert len(queries) == len(unknown_queries)
    assert not any("accounts_user" in query["sql"] for query in queries)
    assert len(callbacks) == len(unknown_callbacks) == 1
