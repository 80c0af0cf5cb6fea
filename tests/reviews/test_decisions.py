"""Committee decisions: through the state machine, justified, logged, singly or in bulk, mailed only at publication."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.domain.lifecycle import run_due_wave_events
from applications.models import DossierTransition
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from reviews import services
from reviews.models import Decision

from .factories import dossier_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:applications_dossier_changelist"


def _decide(world, dossier=None, outcome=DossierStatus.LAUREATE, by="coordinator"):
    return services.record_decision(
        dossier=dossier or world.dossier_bfc,
        outcome=outcome,
        justification="Projet solide, partenaires engagés.",
        by=world.users[by],
    )


def test_a_decision_moves_the_dossier_through_the_state_machine_and_logs_it(world):
    decision = _decide(world)
    world.dossier_bfc.refresh_from_db()
    assert world.dossier_bfc.status == DossierStatus.LAUREATE and world.dossier_bfc.decided_at is not None
    log = DossierTransition.objects.get(dossier=world.dossier_bfc, to_status=DossierStatus.LAUREATE)
    assert decision.transition == log and log.reason == decision.justification
    assert log.by == world.users["coordinator"]


def test_a_decision_needs_a_justification(world):
    with pytest.raises(services.ReviewRefused):
        services.record_decision(
            dossier=world.dossier_bfc, outcome="laureate", justification=" ", by=world.users["coordinator"]
        )
    assert not Decision.objects.exists()


def test_a_dossier_not_under_review_cannot_be_decided(world):
    with pytest.raises(services.ReviewRefused):
        _decide(world, dossier=world.draft_bfc)


def test_committee_members_cannot_record_decisions(world):
    with pytest.raises(PermissionDenied):
        _decide(world, by="committee")


def test_a_postponed_dossier_can_be_decided_in_the_next_wave(world):
    _decide(world, outcome=DossierStatus.POSTPONED)
    _decide(world, outcome=DossierStatus.NOT_RETAINED)
    assert list(Decision.objects.order_by("pk").values_list("outcome", flat=True)) == ["postponed", "not_retained"]


def test_recording_a_decision_queues_no_decision_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _decide(world)
    assert not OutboxMessage.objects.filter(kind=EmailKind.DECISION).exists()


def test_the_decision_is_mailed_only_once_the_wave_is_published(world):
    _decide(world)
    run_due_wave_events(now=world.wave.publishes_at - timedelta(seconds=1))
    assert not OutboxMessage.objects.filter(kind=EmailKind.DECISION).exists()
    run_due_wave_events(now=world.wave.publishes_at + timedelta(seconds=1))
    assert OutboxMessage.objects.filter(kind=EmailKind.DECISION).exists()


def test_single_decision_from_the_dossier_admin_page(world, login):
    url = reverse("admin:applications_dossier_decide", args=[world.dossier_bfc.pk])
    response = login(world.users["coordinator"]).post(
        url, {"outcome": "not_retained", "justification": "Locaux absents."}
    )
    assert response.status_code == 302
    world.dossier_bfc.refresh_from_db()
    assert world.dossier_bfc.status == DossierStatus.NOT_RETAINED


def test_decision_form_without_justification_is_shown_again_with_the_choice_kept(world, login):
    url = reverse("admin:applications_dossier_decide", args=[world.dossier_bfc.pk])
    response = login(world.users["coordinator"]).post(url, {"outcome": "laureate", "justification": ""})
    assert response.status_code == 200
    assert response.context["form"]["outcome"].value() == "laureate" and response.context["form"].errors


def test_bulk_decision_first_asks_for_the_decision_and_justification(world, login):
    response = login(world.users["coordinator"]).post(
        reverse(CHANGELIST),
        {
            "action": "record_decision",
            "_selected_action": [world.dossier_bfc.pk, world.dossier_hdf.pk],
        },
    )
    assert response.status_code == 200 and "justification" in response.context["form"].fields
    assert not Decision.objects.exists()


def test_bulk_decision_records_the_decision_for_every_selected_dossier(world, login):
    response = login(world.users["coordinator"]).post(
        reverse(CHANGELIST),
        {
            "action": "record_decision",
            "_selected_action": [world.dossier_bfc.pk, world.dossier_hdf.pk],
            "apply": "yes",
            "outcome": "laureate",
            "justification": "Classés en tête par le comité.",
        },
    )
    assert response.status_code == 302
    assert Decision.objects.filter(outcome="laureate").count() == 2


def test_bulk_decision_is_all_or_nothing(world, login):
    response = login(world.users["coordinator"]).post(
        reverse(CHANGELIST),
        {
            "action": "record_decision",
            "_selected_action": [world.dossier_bfc.pk, world.draft_bfc.pk],
            "apply": "yes",
            "outcome": "laureate",
            "justification": "Classés en tête par le comité.",
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Decision.objects.exists()
    world.dossier_bfc.refresh_from_db()
    assert world.dossier_bfc.status == DossierStatus.UNDER_REVIEW


def test_reviewers_are_not_offered_the_decision_action(world, login):
    response = login(world.users["reviewer_bfc"]).get(reverse(CHANGELIST))
    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert "record_decision" not in choices and "export_csv" in choices


def test_reviewers_cannot_force_the_decision_action(world, login):
    login(world.users["reviewer_bfc"]).post(
        reverse(CHANGELIST),
        {
            "action": "record_decision",
            "_selected_action": [world.dossier_bfc.pk],
            "apply": "yes",
            "outcome": "laureate",
            "justification": "Forcé.",
        },
    )
    assert not Decision.objects.exists()


def test_ranking_lists_the_best_score_first_with_unscored_dossiers_last(world, login):
    from .factories import review

    weaker = dossier_in(world.bfc, wave=world.wave, reference="AMI-BFC-0009")
    review(weaker, world.users["reviewer_bfc"], [1, 1])
    review(world.dossier_bfc, world.users["reviewer_bfc"], [5, 10])
    response = login(world.users["committee"]).get(reverse("admin:applications_dossier_ranking", args=[world.wave.pk]))
    assert [row.dossier.reference for row in response.context["rows"]] == [
        "AMI-BFC-0001",
        "AMI-BFC-0009",
        "AMI-HDF-0001",
    ]


def test_regional_ranking_keeps_only_the_region(world, login):
    url = reverse("admin:applications_dossier_ranking", args=[world.wave.pk]) + f"?region={world.hdf.pk}"
    response = login(world.users["coordinator"]).get(url)
    assert [row.dossier.reference for row in response.context["rows"]] == ["AMI-HDF-0001"]


@pytest.mark.parametrize("page", ["decide", "bulk"])
def test_decision_forms_load_the_admin_form_styles(world, login, page):
    client = login(world.users["coordinator"])
    if page == "decide":
        response = client.get(reverse("admin:applications_dossier_decide", args=[world.dossier_bfc.pk]))
    else:
        response = client.post(
            reverse("admin:applications_dossier_changelist"),
            {
                "action": "record_decision",
                "_selected_action": [world.dossier_bfc.pk],
            },
        )
    body = response.content.decode()
    assert response.status_code == 200 and "admin/css/forms" in body and 'class="flex-container"' in body
