"""Users in the admin: searched by address, filtered by group, with their official and staff profiles inline."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import OfficialProfile, OfficialRole, StaffProfile, User
from accounts.roles import Role
from tests.factories import CommuneFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="admin@cnam.example", is_staff=True, is_superuser=True))
    return client


def _changelist(client, **query):
    return client.get(reverse("admin:accounts_user_changelist"), query)


def _listed(response) -> set[str]:
    return {user.email for user in response.context["cl"].result_list}


def test_admin_finds_a_user_by_address(admin_client):
    UserFactory(email="maire@montbard.example")
    UserFactory(email="dgs@abbeville.example")
    assert _listed(_changelist(admin_client, q="montbard")) == {"maire@montbard.example"}


def test_admin_filters_users_by_group(admin_client):
    reviewers = Group.objects.get_or_create(name=Role.REGIONAL_REVIEWER)[0]
    UserFactory(email="instructeur@cnam.example").groups.add(reviewers)
    UserFactory(email="maire@montbard.example")
    assert _listed(_changelist(admin_client, groups__id__exact=reviewers.pk)) == {"instructeur@cnam.example"}


def test_admin_filters_users_awaiting_activation(admin_client):
    UserFactory(email="attente@montbard.example", is_active=False)
    UserFactory(email="maire@montbard.example")
    assert _listed(_changelist(admin_client, is_active__exact="0")) == {"attente@montbard.example"}


def test_admin_user_page_shows_the_profiles_with_autocomplete_for_places(admin_client):
    user = UserFactory(email="maire@montbard.example")
    OfficialProfile.objects.create(user=user, role=OfficialRole.MAYOR, commune=CommuneFactory())
    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'name="official_profile-0-commune"' in page and 'name="official_profile-0-epci"' in page
    assert 'name="staff_profile-0-regions"' in page or "staff_profile-TOTAL_FORMS" in page
    assert "admin-autocomplete" in page


def test_admin_assigns_regions_to_a_reviewer_from_the_user_page(admin_client):
    user = UserFactory(email="instructeur@cnam.example", is_staff=True)
    region = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    data = {
        "email": user.email,
        "first_name": "Paul",
        "last_name": "Girard",
        "preferred_language": "fr",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "official_profile-TOTAL_FORMS": "0",
        "official_profile-INITIAL_FORMS": "0",
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "0",
        "staff_profile-0-regions": [region.pk],
    }
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert list(StaffProfile.objects.get(user=user).regions.all()) == [region]


def test_admin_creates_a_user_from_the_address_and_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouveau@Cnam.example",
            "usable_password": "true",
            "password1": "Tournesol-Bleu-2026",
            "password2": "Tournesol-Bleu-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@cnam.example")
    assert user.username == user.email and user.check_password("Tournesol-Bleu-2026")


def test_staff_without_user_permissions_cannot_open_the_user_admin(client):
    reviewer = UserFactory(email="instructeur@cnam.example", is_staff=True)
    client.force_login(reviewer)
    assert _changelist(client).status_code == 403


def test_admin_refuses_a_second_account_for_the_same_address_in_another_case_in_french(admin_client):
    UserFactory(email="maire@montbard.example")
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Maire@Montbard.example",
            "usable_password": "true",
            "password1": "Nouveau-Secret-2026",
            "password2": "Nouveau-Secret-2026",
        },
    )
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in response.content.decode()
    assert User.objects.filter(email__iexact="maire@montbard.example").count() == 1
