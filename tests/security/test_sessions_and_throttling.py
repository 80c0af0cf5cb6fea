"""Sessions expire; repeated failed log-ins lock the account out (django-axes), also on the admin's log-in page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


def test_sessions_expire_after_inactivity_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert 0 < settings.SESSION_REFRESH_INTERVAL <= 600  # the age counts from the last request, within minutes
    assert "ami_portal.sessions.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def _session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_view_within_the_refresh_interval_writes_no_session(client):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(UserFactory())
        client.get(reverse("applications:home"))
        expiry = _session_expiry(client)
        traveller.shift(settings.SESSION_REFRESH_INTERVAL - 1)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("applications:home")).status_code == 200
    assert _session_expiry(client) == expiry
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]


def test_a_page_view_after_the_refresh_interval_slides_the_expiry(client):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(UserFactory())
        client.get(reverse("applications:home"))
        expiry = _session_expiry(client)
        traveller.shift(settings.SESSION_REFRESH_INTERVAL)
        client.get(reverse("applications:home"))
    assert _session_expiry(client) == expiry + timedelta(seconds=settings.SESSION_REFRESH_INTERVAL)


def test_a_session_idle_for_longer_than_its_age_is_logged_out(client):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(UserFactory())
        assert client.get(reverse("applications:home")).status_code == 200
        traveller.shift(settings.SESSION_COOKIE_AGE - 60)  # active until then: still logged in, expiry slides
        assert client.get(reverse("applications:home")).status_code == 200
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        response = client.get(reverse("applications:home"))
    assert response.status_code == 302
    assert reverse(settings.LOGIN_URL) in response["Location"]


def test_an_anonymous_public_page_creates_no_session(client):
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


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


def test_the_first_page_after_a_log_in_writes_no_session(client):
    client.force_login(UserFactory())  # the log-in saved the session: it counts as saved then
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applications:home")).status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
