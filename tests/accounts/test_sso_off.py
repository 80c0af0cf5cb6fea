"""Single sign-on is off by default: nothing of it shows, and its URLs do not exist."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sso_urls_answer_404_while_no_issuer_is_configured(client):
    assert client.get(reverse("accounts:sso_login")).status_code == 404
    assert client.get(reverse("accounts:sso_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_the_log_in_pages_show_no_cnam_button(client):
    for path in (reverse("accounts:login"), reverse("admin:login")):
        assert "compte Cnam" not in client.get(path).content.decode()


def test_the_content_security_policy_keeps_form_action_self(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert re.search(r"form-action 'self'(;|$)", policy)


def test_an_account_bound_to_sso_uses_its_password_again_when_sso_is_off(client):
    from django.utils import timezone

    from accounts.models import SsoIdentity

    user = UserFactory(email="rose@cnam.example", is_staff=True)
    SsoIdentity.objects.create(user=user, issuer="https://sso", subject="s", linked_at=timezone.now())

    client.post(reverse("accounts:login"), {"username": "rose@cnam.example", "password": "motdepasse-solide-42"})

    assert int(client.session["_auth_user_id"]) == user.pk
