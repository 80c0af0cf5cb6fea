"""Internal notes on the dossier page, and sending a submitted dossier back for corrections from the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.states import DossierStatus
from cities.models import ProgrammeMembership
from notifications.models import EmailKind, OutboxMessage
from tests.factories import WaveFactory

from .factories import dossier_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:applications_dossier_changelist"


def test_a_reviewer_adds_an_internal_note_shown_on_the_dossier_page(world, login):
    client = login(world.users["reviewer_bfc"])
    client.post(reverse("admin:applications_dossier_note", args=[world.dossier_bfc.pk]), {"text": "Appeler la DGS."})
    page = client.get(reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])).content.decode()
    assert "Appeler la DGS." in page


def test_an_empty_note_is_refused(world, login):
    client = login(world.users["reviewer_bfc"])
    client.post(reverse("admin:applications_dossier_note", args=[world.dossier_bfc.pk]), {"text": "  "})
    assert not world.dossier_bfc.internal_notes.exists()


def test_internal_notes_never_reach_the_applicants_dossier_page(world, login):
    login(world.users["reviewer_bfc"]).post(
        reverse("admin:applications_dossier_note", args=[world.dossier_bfc.pk]), {"text": "Avis réservé."}
    )
    owner_page = login(world.dossier_bfc.owner).get(
        reverse("applications:dossier", kwargs={"pk": world.dossier_bfc.pk})
    )
    assert "Avis réservé." not in owner_page.content.decode()


def _open_submitted(world):
    now = timezone.now()
    wave = WaveFactory(
        campaign=world.campaign,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=5),
        publishes_at=now + timedelta(days=30),
        number=9,
    )
    return dossier_in(world.bfc, wave=wave, status=DossierStatus.SUBMITTED, reference="AMI-BFC-0100")


def test_coordinator_reopens_a_submitted_dossier_before_the_deadline(world, login):
    dossier = _open_submitted(world)
    response = login(world.users["coordinator"]).post(
        reverse(CHANGELIST),
        {
            "action": "reopen_for_corrections",
            "_selected_action": [dossier.pk],
            "apply": "yes",
            "message": "Il manque la délibération du conseil municipal.",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_reopening_a_dossier_under_review_is_refused_with_the_message_kept(world, login):
    response = login(world.users["coordinator"]).post(
        reverse(CHANGELIST),
        {
            "action": "reopen_for_corrections",
            "_selected_action": [world.dossier_bfc.pk],
            "apply": "yes",
            "message": "Pièce manquante.",
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert response.context["form"]["message"].value() == "Pièce manquante."
    world.dossier_bfc.refresh_from_db()
    assert world.dossier_bfc.status == DossierStatus.UNDER_REVIEW


def test_ranking_shows_the_programmes_of_the_applicant(world, login):
    ProgrammeMembership.objects.create(programme="acv", commune=world.dossier_bfc.commune, source="test")
    response = login(world.users["coordinator"]).get(
        reverse("admin:applications_dossier_ranking", args=[world.wave.pk])
    )
    row = next(r for r in response.context["rows"] if r.dossier == world.dossier_bfc)
    assert [str(p) for p in row.programmes] == ["Action Cœur de Ville"]


def test_bulk_reopening_is_all_or_nothing_when_one_dossier_is_refused(world, login):
    reopenable = _open_submitted(world)
    response = login(world.users["coordinator"]).post(
        reverse(CHANGELIST),
        {
            "action": "reopen_for_corrections",
            "_selected_action": [reopenable.pk, world.dossier_bfc.pk],
            "apply": "yes",
            "message": "Pièce manquante.",
        },
    )
    assert response.status_code == 200
    assert "AMI-BFC-0001" in str(response.context["form"].non_field_errors())
    reopenable.refresh_from_db()
    assert reopenable.status == DossierStatus.SUBMITTED
    assert not reopenable.transitions.filter(to_status=DossierStatus.DRAFT).exists()
    assert not OutboxMessage.objects.filter(kind=EmailKind.REOPENED).exists()


def test_bulk_reopening_refused_half_way_sends_no_e_mail(world, django_capture_on_commit_callbacks):
    from reviews.services import ReviewRefused, reopen_for_corrections

    reopenable = _open_submitted(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ReviewRefused):
        reopen_for_corrections(
            dossiers=[reopenable, world.dossier_bfc], by=world.users["coordinator"], message="Pièce manquante."
        )
    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_ranking_dashboard_and_csv_export_give_an_epci_the_programmes_of_its_communes(world, login):
    from reviews import selectors
    from tests.factories import CommuneFactory, DossierFactory, EpciFactory

    epci = EpciFactory(region=world.bfc)
    ProgrammeMembership.objects.create(programme="ti", commune=CommuneFactory(epci=epci), source="test")
    dossier = DossierFactory(
        wave=world.wave, commune=None, epci=epci, status=DossierStatus.UNDER_REVIEW, reference="AMI-EPCI-0001"
    )
    coordinator = world.users["coordinator"]
    row = next(r for r in selectors.ranking(user=coordinator, wave=world.wave) if r.dossier == dossier)
    assert row.programmes == ["Territoires d'industrie"]
    assert dict(selectors.dashboard(user=coordinator)["by_programme"])["Territoires d'industrie"] == 1
    response = login(coordinator).post(
        reverse(CHANGELIST),
        {
            "action": "export_csv",
            "_selected_action": [dossier.pk],
        },
    )
    assert "AMI-EPCI-0001" in response.content.decode() and ";TI;" in response.content.decode()
