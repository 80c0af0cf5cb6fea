"""The demo Administrator manages accounts, campaigns and reference data but sees no dossier, and cannot raise
their own privileges (superuser status, individual permissions, group permissions, superusers' accounts)."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts import demo as accounts_demo
from applications.models import Dossier
from reviews import demo as reviews_demo
from reviews import selectors
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(db):
    for code, name in (("27", "Bourgogne-Franche-Comté"), ("32", "Hauts-de-France")):
        departement = DepartementFactory(region=RegionFactory(code=code, name=name))
        for _index in range(6):
            CommuneFactory(departement=departement, region=departement.region)
    users = accounts_demo.seed(stdout=io.StringIO())
    reviews_demo.seed(users=users, stdout=io.StringIO())
    return users


@pytest.fixture
def admin_client(client, demo_users):
    client.force_login(demo_users["admin"])
    return client


def test_demo_administrator_sees_no_dossier(demo_users):
    assert Dossier.objects.exists()
    assert not Dossier.objects.visible_to(demo_users["admin"]).exists()
    assert not selectors.dossiers_for_staff(demo_users["admin"]).exists()


def test_demo_administrator_cannot_open_the_dossier_admin(admin_client):
    assert admin_client.get(reverse("admin:applications_dossier_changelist")).status_code == 403
    dossier = Dossier.objects.first()
    assert admin_client.get(reverse("admin:applications_dossier_change", args=[dossier.pk])).status_code in (403, 404)


@pytest.mark.parametrize(
    "name",
    [
        "admin:applications_campaign_changelist",
        "admin:accounts_user_changelist",
        "admin:applications_wave_changelist",
        "admin:cities_commune_changelist",
    ],
)
def test_demo_administrator_manages_users_campaigns_and_territories(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_demo_administrator_cannot_make_themselves_superuser(admin_client, demo_users):
    admin = demo_users["admin"]
    page = admin_client.get(reverse("admin:accounts_user_change", args=[admin.pk]))

    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_demo_administrator_cannot_edit_a_superusers_account(admin_client):
    root = UserFactory(is_staff=True, is_superuser=True)

    response = admin_client.post(reverse("admin:accounts_user_change", args=[root.pk]), {"email": "x@example.fr"})

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email != "x@example.fr"
    assert admin_client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 403


def test_demo_administrator_cannot_change_what_a_role_may_do(admin_client):
    group = Group.objects.get(name="Administrator")
    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk]))

    assert "permissions" not in page.context["adminform"].form.fields
    perm = Permission.objects.get(codename="view_all_dossiers")
    admin_client.post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": [perm.pk]}
    )
    assert not group.permissions.filter(pk=perm.pk).exists()
