"""The demo seed, and the coordinators' exports from the admin."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import Role
from public import demo, selectors
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_publishes_a_wave_with_laureates_and_is_idempotent():
    for i in range(3):
        CommuneFactory(latitude=46.0 + i, longitude=3.0, population=50000 + i)
    demo.seed(stdout=io.StringIO())
    first = selectors.published_laureates(now=timezone.now()).count()
    demo.seed(stdout=io.StringIO())
    assert first == 3
    assert selectors.published_laureates(now=timezone.now()).count() == 3


def test_demo_seed_shows_on_the_public_page(client):
    CommuneFactory(name="Démoville", latitude=46.0, longitude=3.0)
    demo.seed(stdout=io.StringIO())
    assert "Démoville" in client.get(f"/resultats/{demo.DEMO_SLUG}/").content.decode()


def test_demo_seed_without_communes_creates_nothing():
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "load_territories" in out.getvalue()


@pytest.fixture
def coordinator_client(client, settings):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR)[0])
    client.force_login(user)
    return client


def test_admin_index_links_to_the_export_for_coordinators(coordinator_client):
    html = coordinator_client.get("/admin/").content.decode()
    assert "/admin/public/exportjob/add/" in html


def test_coordinator_exports_from_the_admin(coordinator_client, laureates):
    response = coordinator_client.post("/admin/public/exportjob/add/", {"campaign": "ami2", "format": "json"})
    assert response.status_code == 200
    assert len(json.loads(b"".join(response.streaming_content))["laureates"]) == 2


def test_coordinator_sets_the_not_retained_count_in_the_admin(coordinator_client, wave):
    response = coordinator_client.post(
        "/admin/public/wavepublicationsettings/add/", {"wave": wave.pk, "show_not_retained_count": "on"}
    )
    assert response.status_code == 302
    assert wave.publication_settings.show_not_retained_count


def test_staff_reviewer_cannot_use_the_admin_export(client, laureates):
    from tests.factories import RegionFactory, reviewer

    user = reviewer(RegionFactory())
    client.force_login(user)
    assert client.get("/admin/public/exportjob/add/").status_code == 403
