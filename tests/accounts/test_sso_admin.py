"""Administrators edit the single sign-on mappings in the admin, in French (accounts/admin.py, migration 0005)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import SsoIdentity, SsoRoleMapping
from accounts.roles import Role
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    client.force_login(user)
    return user


def test_an_administrator_maps_a_claim_value_to_roles_and_regions(client, administrator):
    bfc = RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    reviewers = Group.objects.get(name=Role.REGIONAL_REVIEWER)

    page = client.get(reverse("admin:accounts_ssorolemapping_add")).content.decode()
    response = client.post(
        reverse("admin:accounts_ssorolemapping_add"),
        {"claim_value": "ami-relecteurs-bfc", "groups": [reviewers.pk], "regions": [bfc.pk], "note": "Relecteurs BFC"},
    )

    assert "Valeur de la revendication" in page and "Rôles sur le portail" in page
    assert response.status_code == 302
    mapping = SsoRoleMapping.objects.get(claim_value="ami-relecteurs-bfc")
    assert list(mapping.groups.all()) == [reviewers] and list(mapping.regions.all()) == [bfc]
    listing = client.get(reverse("admin:accounts_ssorolemapping_changelist")).content.decode()
    assert "Correspondances de connexion unique" in listing and "Bourgogne-Franche-Comté" in listing


def test_the_user_page_tells_whether_the_account_is_bound_to_the_cnam_account(client, administrator):
    bound = UserFactory(is_staff=True)
    SsoIdentity.objects.create(user=bound, issuer="https://sso", subject="sub-42", linked_at=timezone.now())
    free = UserFactory(is_staff=True)

    assert "sub-42" in client.get(reverse("admin:accounts_user_change", args=[bound.pk])).content.decode()
    assert (
        "Non : se connecte avec un mot de passe"
        in client.get(reverse("admin:accounts_user_change", args=[free.pk])).content.decode()
    )


def test_an_administrator_removes_a_binding_but_cannot_add_or_edit_one(client, administrator):
    identity = SsoIdentity.objects.create(
        user=UserFactory(is_staff=True), issuer="https://sso", subject="s", linked_at=timezone.now()
    )

    assert client.get(reverse("admin:accounts_ssoidentity_add")).status_code == 403
    client.post(reverse("admin:accounts_ssoidentity_delete", args=[identity.pk]), {"post": "yes"})

    assert not SsoIdentity.objects.exists()
