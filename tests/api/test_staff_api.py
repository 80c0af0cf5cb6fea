"""The staff endpoints: scoped exactly like the admin's dossier list, decisions shown like the admin shows them, and
refused (French JSON) to anyone else."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviews.models import Review, ReviewStatus

from .conftest import after, before, token_client

pytestmark = pytest.mark.django_db

STAFF_READERS = ("reviewer_x", "reviewer_y", "coordinator", "committee", "superuser")
STAFF_URLS = ["/api/v1/staff/dossiers", "/api/v1/staff/suivi-evaluations"]


def references(response) -> set[str]:
    return {row["reference"] for row in response.json()["items"]}


def admin_references(world, role) -> set[str]:
    """The dossier numbers of the admin's dossier list for ``role`` (its whole queryset, every page)."""
    client = Client()
    client.force_login(world.users[role])
    response = client.get(reverse("admin:applications_dossier_changelist"))
    return {dossier.reference for dossier in response.context["cl"].queryset}


@pytest.mark.parametrize("role", STAFF_READERS)
def test_a_token_lists_exactly_the_dossiers_of_its_holders_admin_list(world, role):
    response = token_client(world, role).get("/api/v1/staff/dossiers", {"page_size": 200})
    assert references(response) == admin_references(world, role)


def test_a_regional_reviewer_sees_their_regions_submitted_dossiers_and_nothing_else(world):
    response = token_client(world, "reviewer_x").get("/api/v1/staff/dossiers")
    # A (submitted) and L (decided) and C (a laureate of the past campaign), all in région X; never draft B of
    # région Y.
    assert references(response) == {"AMI-A-0001", "AMI-L-0001", "AMI-C-0001"}


def test_a_reviewer_of_another_region_sees_none_of_region_x(world):
    assert references(token_client(world, "reviewer_y").get("/api/v1/staff/dossiers")) == set()
    response = token_client(world, "reviewer_y").get(f"/api/v1/staff/dossiers/{world.dossier_a.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable (ou invisible avec ce jeton)."}


@pytest.mark.parametrize("role", ["official_a", "official_b", "press"])
@pytest.mark.parametrize("url", [*STAFF_URLS, "/api/v1/staff/dossiers/{pk}"])
def test_officials_and_press_tokens_are_refused_with_a_french_403(world, role, url):
    response = token_client(world, role).get(url.format(pk=world.dossier_a.pk))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Ce jeton ne donne pas accès à l'API des agents : elle est réservée aux agents du Cnam."
    }


@pytest.mark.parametrize("url", STAFF_URLS)
def test_a_logged_in_session_without_a_token_is_401(world, url):
    client = Client()
    client.force_login(world.users["coordinator"])
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"].startswith("Jeton d'API absent, inconnu, révoqué ou expiré")


def test_staff_answers_are_never_stored_by_a_cache(world):
    response = token_client(world, "coordinator").get("/api/v1/staff/dossiers")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- decisions: confidential until their wave's publication, exactly as in the admin ------------------------------


def _dossier_a(world, role, moment):
    with time_machine.travel(moment(world), tick=False):
        return token_client(world, role).get(f"/api/v1/staff/dossiers/{world.dossier_a.pk}").json()


def test_a_regional_reviewer_reads_under_review_and_no_date_one_second_before_publication(world):
    row = _dossier_a(world, "reviewer_x", before)
    assert (row["status"], row["status_label"], row["decided_at"]) == ("under_review", "En cours d'instruction", None)


def test_a_regional_reviewer_reads_the_decision_one_second_after_publication(world):
    row = _dossier_a(world, "reviewer_x", after)
    assert (row["status"], row["status_label"]) == ("not_retained", "Non retenu")
    assert row["decided_at"] is not None


@pytest.mark.parametrize("role", ["coordinator", "committee", "superuser"])
def test_those_who_know_decisions_early_read_it_before_publication(world, role):
    assert _dossier_a(world, role, before)["status"] == "not_retained"


def test_the_status_filter_follows_the_status_the_holder_may_see(world):
    with time_machine.travel(before(world), tick=False):
        hidden = token_client(world, "reviewer_x").get("/api/v1/staff/dossiers", {"statut": "not_retained"})
        known = token_client(world, "coordinator").get("/api/v1/staff/dossiers", {"statut": "not_retained"})
    assert references(hidden) == set()
    assert references(known) == {"AMI-A-0001"}


def test_filters_by_campaign_wave_and_region(world):
    client = token_client(world, "coordinator")
    assert references(client.get("/api/v1/staff/dossiers", {"campagne": "ami-publie"})) == {"AMI-C-0001"}
    assert references(client.get("/api/v1/staff/dossiers", {"campagne": "ami-ouvert", "vague": 1, "region": "Y1"})) == {
        "AMI-B-0001"
    }


# --- reviews and progress -------------------------------------------------------------------------------------


def _review(world, role, status):
    return Review.objects.create(
        dossier=world.dossier_a, reviewer=world.users[role], status=status, comment=f"avis {role}"
    )


def test_a_reviewer_reads_only_their_own_review_until_it_is_completed(world):
    from tests.factories import UserFactory

    colleague = UserFactory(is_staff=True)
    Review.objects.create(
        dossier=world.dossier_a, reviewer=colleague, status=ReviewStatus.COMPLETED, comment="avis collègue"
    )
    _review(world, "reviewer_x", ReviewStatus.DRAFT)
    row = token_client(world, "reviewer_x").get(f"/api/v1/staff/dossiers/{world.dossier_a.pk}").json()
    assert [r["comment"] for r in row["reviews"]] == ["avis reviewer_x"]
    assert (row["reviews_completed"], row["reviews_in_progress"]) == (0, 1)
    full = token_client(world, "coordinator").get(f"/api/v1/staff/dossiers/{world.dossier_a.pk}").json()
    assert sorted(r["comment"] for r in full["reviews"]) == ["avis collègue", "avis reviewer_x"]


def test_review_progress_shows_a_reviewer_their_own_line_and_a_coordinator_every_reviewer(world):
    _review(world, "reviewer_x", ReviewStatus.COMPLETED)
    own = token_client(world, "reviewer_y").get("/api/v1/staff/suivi-evaluations").json()
    every = token_client(world, "coordinator").get("/api/v1/staff/suivi-evaluations").json()
    assert [row["email"] for row in own] == ["reviewer.y@example.fr"]
    assert {row["email"]: row["completed"] for row in every} == {"reviewer.x@example.fr": 1, "reviewer.y@example.fr": 0}
