"""Personal API tokens: created by staff in their account (shown once, only a hash kept), listed, used, revoked,
expired; refused to anyone the staff API would refuse."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from api.models import ApiToken
from api.tokens import issue_token
from tests.factories import UserFactory, official, reviewer

pytestmark = pytest.mark.django_db

PAGE = "/compte/jetons-api/"


@pytest.fixture
def reviewer_x(db):
    user = reviewer()
    user.groups.add(Group.objects.get_or_create(name=Role.REGIONAL_REVIEWER)[0])
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_on_the_page(user, name="tableau régional", valid_days=90):
    response = logged_in(user).post(PAGE, {"name": name, "valid_days": valid_days})
    return response, response.context["new_key"]


def bearer(key) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_created_token_is_shown_once_and_only_its_hash_is_stored(reviewer_x):
    response, key = create_on_the_page(reviewer_x)
    assert key.startswith("ami_") and key in response.content.decode()
    token = ApiToken.objects.get(user=reviewer_x)
    assert token.name == "tableau régional"
    assert key not in {token.key_hash, token.key_prefix, token.name}
    assert key.startswith(token.key_prefix)
    # The list shown later carries the beginning only.
    assert key not in logged_in(reviewer_x).get(PAGE).content.decode()


def test_a_new_token_expires_after_the_chosen_validity(reviewer_x):
    now = timezone.now()
    token, _key = issue_token(user=reviewer_x, name="a", valid_days=30, now=now)
    assert token.expires_at == now + timedelta(days=30)


def test_a_token_opens_the_staff_api_and_records_its_last_use(reviewer_x):
    _response, key = create_on_the_page(reviewer_x)
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 200
    assert ApiToken.objects.get(user=reviewer_x).last_used_at is not None


def test_a_revoked_token_is_401(reviewer_x):
    _response, key = create_on_the_page(reviewer_x)
    token = ApiToken.objects.get(user=reviewer_x)
    response = logged_in(reviewer_x).post(f"{PAGE}{token.pk}/revoquer/", follow=True)
    assert "Le jeton « tableau régional » est révoqué" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == reviewer_x
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 401


def test_a_token_works_until_one_second_before_its_expiry_and_is_401_from_it(reviewer_x):
    now = timezone.now()
    token, key = issue_token(user=reviewer_x, name="a", valid_days=30, now=now)
    with time_machine.travel(token.expires_at - timedelta(seconds=1), tick=False):
        assert bearer(key).get("/api/v1/staff/dossiers").status_code == 200
    with time_machine.travel(token.expires_at, tick=False):
        assert bearer(key).get("/api/v1/staff/dossiers").status_code == 401


@pytest.mark.parametrize("key", ["ami_not-a-real-token", "n'importe quoi", ""])
def test_an_unknown_token_is_401(db, key):
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 401


def test_a_deactivated_holders_token_is_401(reviewer_x):
    _token, key = issue_token(user=reviewer_x, name="a", valid_days=30, now=timezone.now())
    reviewer_x.is_active = False
    reviewer_x.save()
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 401


def test_someone_cannot_revoke_another_persons_token(reviewer_x):
    token, key = issue_token(user=reviewer_x, name="a", valid_days=30, now=timezone.now())
    other = reviewer()
    other.groups.add(Group.objects.get(name=Role.REGIONAL_REVIEWER))
    assert logged_in(other).post(f"{PAGE}{token.pk}/revoquer/").status_code == 404
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 200


def test_officials_and_press_get_no_token_page_and_no_token(db):
    press = UserFactory()
    press.groups.add(Group.objects.get_or_create(name=Role.PRESS)[0])
    for user in (official(), press):
        assert logged_in(user).get(PAGE).status_code == 403
        assert logged_in(user).post(PAGE, {"name": "x", "valid_days": 90}).status_code == 403
        with pytest.raises(ValidationError):
            issue_token(user=user, name="x", valid_days=90, now=timezone.now())
    assert not ApiToken.objects.exists()


def test_a_blank_name_is_refused_in_french_and_creates_nothing(reviewer_x):
    response = logged_in(reviewer_x).post(PAGE, {"name": "  ", "valid_days": 90})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_administrator_revokes_tokens_in_the_admin(reviewer_x):
    token, key = issue_token(user=reviewer_x, name="a", valid_days=30, now=timezone.now())
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = logged_in(admin).post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "1 jeton révoqué." in response.content.decode()
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 401


def test_the_administrator_role_revokes_tokens_but_creates_none_in_the_admin(reviewer_x):
    token, key = issue_token(user=reviewer_x, name="a", valid_days=30, now=timezone.now())
    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    client = logged_in(administrator)
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert bearer(key).get("/api/v1/staff/dossiers").status_code == 401
