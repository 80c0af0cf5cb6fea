"""Admin: ranked commune search (also for autocomplete), programme filter, membership CSV import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cities.models import Programme, ProgrammeMembership
from tests.factories import CommuneFactory, EpciFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def chalon():
    return CommuneFactory(insee_code="71076", name="Chalon-sur-Saône", postal_codes=["71100"])


def test_changelist_search_is_accent_insensitive(admin_client, chalon):
    CommuneFactory(name="Mâcon")
    response = admin_client.get(reverse("admin:cities_commune_changelist"), {"q": "chalon sur saone"})
    assert "Chalon-sur-Saône" in response.content.decode() and "Mâcon" not in response.content.decode()


def test_autocomplete_uses_the_commune_search(admin_client, chalon):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cities", "model_name": "programmemembership", "field_name": "commune", "term": "71100"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(chalon.pk)]


def test_changelist_filters_by_programme(admin_client, chalon):
    CommuneFactory(name="Mâcon")
    ProgrammeMembership.objects.create(commune=chalon, programme=Programme.ACV, source="test")
    html = admin_client.get(reverse("admin:cities_commune_changelist"), {"programme": "acv"}).content.decode()
    assert "Chalon-sur-Saône" in html and "Mâcon" not in html


def test_epci_page_lists_member_communes(admin_client, chalon):
    chalon.epci = EpciFactory(name="CA Le Grand Chalon")
    chalon.save()
    html = admin_client.get(reverse("admin:cities_epci_change", args=[chalon.epci.pk])).content.decode()
    assert "Chalon-sur-Saône" in html


def test_import_view_imports_a_good_file(admin_client, chalon):
    upload = SimpleUploadedFile("m.csv", b"insee_code;programme;source\n71076;acv;ANCT\n", "text/csv")
    response = admin_client.post(reverse("admin:cities_programmemembership_import"), {"file": upload})
    assert response.status_code == 302
    assert ProgrammeMembership.objects.get().commune == chalon


def test_import_view_lists_bad_lines_and_imports_nothing(admin_client, chalon):
    upload = SimpleUploadedFile("m.csv", b"insee_code;programme;source\n71076;acv;ok\n71076;zz;ANCT\n", "text/csv")
    response = admin_client.post(reverse("admin:cities_programmemembership_import"), {"file": upload})
    assert "m.csv, ligne 3" in response.content.decode()
    assert not ProgrammeMembership.objects.exists()


def test_import_view_needs_change_permission(client, chalon):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:cities_programmemembership_import"))
    assert response.status_code == 403
