"""The log-in lock-out (django-axes) holds across spellings of the address and across the site and admin forms.

Policy (accounts/README.md): AXES_FAILURE_LIMIT failures for one normalised address from one IP lock that pair out
for AXES_COOLOFF_TIME after the last failure, on both forms; a successful log-in before that clears the count.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"  # the factory's
EMAIL = "lock.out@cnam.example.fr"
IP = {"REMOTE_ADDR": "198.51.100.30"}
SPELLINGS = [
    "LOCK.OUT@CNAM.EXAMPLE.FR",
    "Lock.Out@Cnam.Example.fr",
    "  lock.out@cnam.example.fr ",
    "lock.OUT@cnam.EXAMPLE.fr",
    "LOCK.out@CNAM.example.FR",
    "lOcK.oUt@cNaM.eXaMpLe.Fr",
]
COOLOFF = timedelta(hours=settings.AXES_COOLOFF_TIME)


def site_log_in(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **{**IP, **extra})


def admin_log_in(client, email, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": reverse("admin:index")},
        **{**IP, **extra},
    )


def assert_refused(client, response):
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert "_auth_user_id" not in client.session


def assert_logged_in(client, response, user):
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.fixture
def staff():
    return UserFactory(email=EMAIL, is_staff=True)


def test_six_failures_in_varying_case_then_the_right_password_in_another_case_is_refused_on_the_site(client, staff):
    for spelling in SPELLINGS:
        site_log_in(client, spelling, "wrong-password")
    assert_refused(client, site_log_in(client, "Lock.Out@cnam.example.fr", PASSWORD))


def test_six_failures_in_varying_case_then_the_right_password_in_another_case_is_refused_on_the_admin(client, staff):
    for spelling in SPELLINGS:
        admin_log_in(client, spelling, "wrong-password")
    assert_refused(client, admin_log_in(client, "Lock.Out@cnam.example.fr", PASSWORD))


def test_failures_on_the_site_form_lock_the_admin_form(client, staff):
    for spelling in SPELLINGS:
        site_log_in(client, spelling, "wrong-password")
    assert_refused(client, admin_log_in(client, "LOCK.OUT@cnam.example.fr", PASSWORD))


def test_failures_on_the_admin_form_lock_the_site_form(client, staff):
    for spelling in SPELLINGS:
        admin_log_in(client, spelling, "wrong-password")
    assert_refused(client, site_log_in(client, "lock.out@CNAM.example.fr", PASSWORD))


def test_failures_alternating_between_the_forms_add_up_to_the_limit(client, staff):
    for index, spelling in enumerate(SPELLINGS[: settings.AXES_FAILURE_LIMIT]):
        (site_log_in if index % 2 else admin_log_in)(client, spelling, "wrong-password")
    assert_refused(client, site_log_in(client, EMAIL, PASSWORD))
    assert_refused(client, admin_log_in(client, EMAIL, PASSWORD))


def test_one_failure_short_of_the_limit_the_right_password_in_any_case_logs_in(client, staff):
    for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT - 1]:
        admin_log_in(client, spelling, "wrong-password")
    assert_logged_in(client, admin_log_in(client, "LOCK.OUT@Cnam.Example.FR", PASSWORD), staff)


def test_an_unknown_address_is_locked_out_like_a_known_one(client):
    # Otherwise the lock-out page itself would tell which addresses have an account.
    for spelling in SPELLINGS:
        site_log_in(client, spelling.replace("lock", "nobody").replace("LOCK", "NOBODY"), "wrong-password")
    assert_refused(client, site_log_in(client, "Nobody.Out@cnam.example.fr", "wrong-password"))


def test_the_lock_out_still_holds_one_second_before_the_cool_off_ends(client, staff):
    last_failure = timezone.now()
    with time_machine.travel(last_failure, tick=False):
        for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT]:
            site_log_in(client, spelling, "wrong-password")
    with time_machine.travel(last_failure + COOLOFF - timedelta(seconds=1), tick=False):
        assert_refused(client, admin_log_in(client, "Lock.Out@cnam.example.fr", PASSWORD))


def test_the_lock_out_ends_one_second_after_the_cool_off(client, staff):
    last_failure = timezone.now()
    with time_machine.travel(last_failure, tick=False):
        for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT]:
            site_log_in(client, spelling, "wrong-password")
    with time_machine.travel(last_failure + COOLOFF + timedelta(seconds=1), tick=False):
        assert_logged_in(client, admin_log_in(client, "Lock.Out@cnam.example.fr", PASSWORD), staff)


def test_an_attempt_during_the_lock_out_restarts_the_cool_off(client, staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT]:
            site_log_in(client, spelling, "wrong-password")
    with time_machine.travel(start + COOLOFF - timedelta(minutes=1), tick=False):
        assert_refused(client, site_log_in(client, EMAIL, PASSWORD))
    with time_machine.travel(start + COOLOFF + timedelta(seconds=1), tick=False):
        assert_refused(client, site_log_in(client, EMAIL, PASSWORD))


def test_a_successful_log_in_clears_the_failures_of_every_spelling(client, staff):
    for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT - 1]:
        site_log_in(client, spelling, "wrong-password")
    assert_logged_in(client, site_log_in(client, "LOCK.OUT@cnam.example.fr", PASSWORD), staff)
    client.post(reverse("accounts:logout"))
    for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT - 1]:
        admin_log_in(client, spelling, "wrong-password")
    assert_logged_in(client, admin_log_in(client, EMAIL, PASSWORD), staff)


def test_the_lock_out_is_per_address_and_ip_another_ip_may_still_log_in(client, staff):
    for spelling in SPELLINGS:
        site_log_in(client, spelling, "wrong-password")
    assert_logged_in(client, site_log_in(client, EMAIL, PASSWORD, REMOTE_ADDR="203.0.113.7"), staff)


def test_an_address_stored_with_capitals_before_normalisation_logs_in_and_locks_out_in_any_case(client):
    user = UserFactory(email=EMAIL)
    User.objects.filter(pk=user.pk).update(email="Lock.Out@Cnam.Example.FR")  # a row save() never normalised
    for spelling in SPELLINGS[: settings.AXES_FAILURE_LIMIT - 1]:
        site_log_in(client, spelling, "wrong-password")
    assert_logged_in(client, site_log_in(client, EMAIL, PASSWORD), user)
    client.post(reverse("accounts:logout"))
    for spelling in SPELLINGS:
        site_log_in(client, spelling, "wrong-password")
    assert_refused(client, site_log_in(client, "LOCK.OUT@CNAM.EXAMPLE.FR", PASSWORD))
