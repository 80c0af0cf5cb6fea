"""Sessions expire; repeated failed log-ins lock the account out (django-axes), also on the admin's log-in page."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


def test_sessions_expire_after_inactivity_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the age counts from the last request: inactivity
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_log_in_is_throttled_after_a_few_failures():
    assert settings.AXES_ENABLED is not False
    assert 0 < settings.AXES_FAILURE_LIMIT <= 10


def test_admin_log_in_locks_out_after_repeated_failures_even_with_the_right_password(client):
    staff = UserFactory(email="staff@cnam.example", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": staff.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    response = client.post(url, {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code in {403, 429}
    assert "_auth_user_id" not in client.session
