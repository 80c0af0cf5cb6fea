"""After logging in without a requested page, each role lands where its work is."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory, official, reviewer

PASSWORD = "motdepasse-solide-42"


def _log_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def _in(user, role):
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.mark.django_db
def test_official_lands_on_their_dossiers(client):
    assert _log_in(client, official())["Location"] == reverse("applications:home")


@pytest.mark.django_db
def test_regional_reviewer_lands_in_the_admin(client):
    assert _log_in(client, _in(reviewer(), Role.REGIONAL_REVIEWER))["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_press_lands_in_the_press_area_and_is_not_offered_dossiers(client):
    press = _in(UserFactory(), Role.PRESS)
    assert _log_in(client, press)["Location"] == reverse("press-home")
    page = client.get(reverse("press-home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mes dossiers" not in page


@pytest.mark.django_db
def test_a_requested_page_still_wins(client):
    response = client.post(
        reverse("accounts:login") + "?next=/resultats/", {"username": official().email, "password": PASSWORD}
    )
    assert response["Location"] == "/resultats/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "offers_press", "offers_dossiers"),
    [(Role.PRESS, True, False), (Role.COORDINATOR, True, False), (None, False, True)],
)
def test_the_navigation_offers_the_press_area_to_press_and_coordinators_only(
    client, role, offers_press, offers_dossiers
):
    user = official() if role is None else _in(UserFactory(is_staff=role == Role.COORDINATOR), role)
    client.force_login(user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert (f'href="{reverse("press-home")}"' in page) is offers_press
    assert (f'href="{reverse("applications:home")}"' in page) is offers_dossiers


@pytest.mark.django_db
def test_an_anonymous_visitor_is_offered_neither(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'href="{reverse("press-home")}"' not in page
    assert f'href="{reverse("applications:home")}"' not in page
