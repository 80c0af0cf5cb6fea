"""Decisions are confidential until the publication of the wave they were taken in, on every surface.

Wave 1 publishes its results at 2021-03-28 03:00 Paris time, the first instant of summer time (clocks jump from
02:00 to 03:00): one second before is 01:59:59 winter time. Coordinators, committee members, administrators and
superusers may know a decision as soon as it is recorded; the applicants and regional reviewers see "under review"
(and no decision date) until the publication instant, then the decision. A dossier postponed in a published wave
and carried over to the next one keeps showing "postponed" until that wave's own publication.
"""

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications import rules as dossier_rules
from applications.domain.lifecycle import publish_wave, run_due_wave_events
from applications.models import Dossier, DossierMember, Submission
from applications.states import DossierStatus, transition_dossier
from notifications.models import EmailKind, OutboxMessage
from public.selectors import published_laureates
from reviews import services as review_services
from tests.factories import CampaignFactory, RegionFactory, UserFactory, WaveFactory, official
from tests.reviews.factories import dossier_in, grid, reviewer_of, staff

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Built in Paris time, then computed in UTC: wall-clock arithmetic across the DST gap would be off by an hour.
PUBLISHES_1 = datetime(2021, 3, 28, 3, 0, tzinfo=PARIS).astimezone(UTC)
BEFORE_1 = PUBLISHES_1 - timedelta(seconds=1)
AFTER_1 = PUBLISHES_1 + timedelta(seconds=1)
PUBLISHES_2 = datetime(2021, 6, 30, 12, 0, tzinfo=PARIS).astimezone(UTC)
BEFORE_2 = PUBLISHES_2 - timedelta(seconds=1)
AFTER_2 = PUBLISHES_2 + timedelta(seconds=1)
DECIDED_1 = datetime(2021, 3, 10, 15, 0, tzinfo=PARIS).astimezone(UTC)
DECIDED_2 = datetime(2021, 6, 10, 15, 0, tzinfo=PARIS).astimezone(UTC)

LAUREATE, UNDER_REVIEW, POSTPONED = "Lauréat", "En cours d'instruction", "Reporté à la vague suivante"
JUSTIFICATION = "Projet solide, partenaires engagés (justification du comité)"

KNOW_EARLY = ("coordinator", "committee", "superuser")
LEARN_AT_PUBLICATION = ("owner", "co_editor", "reviewer")


def test_the_publication_instant_is_the_first_second_of_summer_time():
    assert timezone.localtime(BEFORE_1, PARIS).strftime("%d/%m/%Y %H:%M:%S %Z") == "28/03/2021 01:59:59 CET"
    assert timezone.localtime(PUBLISHES_1, PARIS).strftime("%d/%m/%Y %H:%M:%S %Z") == "28/03/2021 03:00:00 CEST"


@pytest.fixture
def world(db):
    """Dossier A (laureate of wave 1) and dossier P (postponed in wave 1, laureate of wave 2), both in région X."""
    region = RegionFactory(code="X9", name="Région X")
    campaign = CampaignFactory(slug="ami-confidentiel")
    wave1 = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=datetime(2021, 1, 4, tzinfo=PARIS),
        closes_at=datetime(2021, 3, 1, tzinfo=PARIS),
        publishes_at=PUBLISHES_1,
    )
    wave2 = WaveFactory(
        campaign=campaign,
        number=2,
        opens_at=datetime(2021, 3, 2, tzinfo=PARIS),
        closes_at=datetime(2021, 5, 3, tzinfo=PARIS),
        publishes_at=PUBLISHES_2,
    )
    grid(campaign)
    users = {
        "reviewer": reviewer_of(region, email="relecteur.x@example.fr"),
        "coordinator": staff(Role.COORDINATOR, email="coordination@example.fr"),
        "committee": staff(Role.COMMITTEE, email="comite@example.fr"),
        "administrator": staff(Role.ADMINISTRATOR, email="administration@example.fr"),
        "superuser": UserFactory(email="root@example.fr", is_staff=True, is_superuser=True),
        "press": staff(Role.PRESS, email="presse@example.fr"),
    }
    dossier_a = dossier_in(region, wave=wave1, reference="AMI-CONF-0001")
    dossier_p = dossier_in(region, wave=wave1, reference="AMI-CONF-0002")
    users["owner"] = dossier_a.owner
    users["co_editor"] = official(commune=dossier_a.commune, user__email="co.editeur@example.fr")
    DossierMember.objects.create(dossier=dossier_a, user=users["co_editor"])
    users["owner_p"] = dossier_p.owner
    Submission.objects.create(
        dossier=dossier_a,
        wave=wave1,
        submitted_at=dossier_a.submitted_at,
        submitted_by=dossier_a.owner,
        snapshot={},
        fingerprint="0" * 64,
    )
    for dossier, outcome in ((dossier_a, DossierStatus.LAUREATE), (dossier_p, DossierStatus.POSTPONED)):
        review_services.record_decision(
            dossier=dossier, outcome=outcome, justification=JUSTIFICATION, by=users["coordinator"], now=DECIDED_1
        )
    return {
        "users": users,
        "a": Dossier.objects.get(pk=dossier_a.pk),
        "p": Dossier.objects.get(pk=dossier_p.pk),
        "wave1": wave1,
        "wave2": wave2,
    }


def _client(world, role) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    return client


def _get(world, role, url, when):
    with time_machine.travel(when, tick=False):
        return _client(world, role).get(url)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _says_laureate(text: str) -> bool:
    return re.search(r"Lauréat(?!s)", text) is not None  # not the site's "Lauréats" (results) links


def _status_on_dossier_page(text: str) -> str:
    return re.search(r"Statut :\s*<strong>([^<]+)</strong>", text).group(1)


def _admin_cell(text: str, column: str) -> list[str]:
    return re.findall(rf'<td class="field-{column}">([^<]*)</td>', text)


# --- the rule, on one object and as a query -------------------------------------------------------------------------


def test_a_decision_records_the_wave_it_was_taken_in(world):
    assert world["a"].decision_wave == world["wave1"]
    assert world["a"].decided_at == DECIDED_1


@pytest.mark.parametrize("role", [*KNOW_EARLY, "administrator"])
@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_staff_who_decide_or_supervise_see_the_decision_before_and_after_publication(world, role, when):
    user = world["users"][role]
    assert dossier_rules.can_see_decision(user, world["a"], now=when)
    assert dossier_rules.shown_status(user, world["a"], now=when) == DossierStatus.LAUREATE


@pytest.mark.parametrize("role", [*LEARN_AT_PUBLICATION, "press"])
def test_everyone_else_sees_under_review_one_second_before_publication(world, role):
    user = world["users"][role]
    assert not dossier_rules.can_see_decision(user, world["a"], now=BEFORE_1)
    assert dossier_rules.shown_status(user, world["a"], now=BEFORE_1) == DossierStatus.UNDER_REVIEW


@pytest.mark.parametrize("role", [*LEARN_AT_PUBLICATION, "press"])
def test_everyone_sees_the_decision_at_the_publication_instant(world, role):
    user = world["users"][role]
    assert dossier_rules.can_see_decision(user, world["a"], now=PUBLISHES_1)
    assert dossier_rules.shown_status(user, world["a"], now=PUBLISHES_1) == DossierStatus.LAUREATE


def _assert_query_and_object_agree(user, when):
    annotated = {
        d.pk: (d.shown_status, d.shown_decided_at) for d in Dossier.objects.with_shown_status(user=user, now=when)
    }
    for dossier in Dossier.objects.all():
        assert annotated[dossier.pk] == (
            dossier_rules.shown_status(user, dossier, now=when),
            dossier_rules.shown_decided_at(user, dossier, now=when),
        )
        published = Dossier.objects.decision_published_at(when).filter(pk=dossier.pk).exists()
        assert published == dossier_rules.is_decision_published(dossier, now=when)


@pytest.mark.parametrize("role", [*KNOW_EARLY, *LEARN_AT_PUBLICATION, "administrator", "press"])
@pytest.mark.parametrize("when", [BEFORE_1, PUBLISHES_1, AFTER_1, BEFORE_2, AFTER_2])
def test_the_query_and_the_object_predicate_agree(world, role, when):
    _assert_query_and_object_agree(world["users"][role], when)


@pytest.mark.parametrize("role", [*KNOW_EARLY, *LEARN_AT_PUBLICATION, "administrator", "press"])
@pytest.mark.parametrize("when", [AFTER_1, BEFORE_2, AFTER_2])
def test_the_query_and_the_object_predicate_agree_on_a_carried_over_dossier(world, role, when):
    _carry_over_and_redecide(world)
    _assert_query_and_object_agree(world["users"][role], when)


def test_a_dossier_without_decision_shows_its_own_status_to_everyone(world):
    draft = dossier_in(world["a"].region, wave=world["wave2"], status=DossierStatus.DRAFT)
    assert dossier_rules.shown_status(draft.owner, draft, now=BEFORE_1) == DossierStatus.DRAFT


# --- a postponed dossier moved on to the next wave ------------------------------------------------------------------


def _carry_over_and_redecide(world):
    assert publish_wave(wave_id=world["wave1"].pk, now=AFTER_1)
    review_services.record_decision(
        dossier=Dossier.objects.get(pk=world["p"].pk),
        outcome=DossierStatus.LAUREATE,
        justification=JUSTIFICATION,
        by=world["users"]["coordinator"],
        now=DECIDED_2,
    )
    return Dossier.objects.get(pk=world["p"].pk)


def test_a_postponed_dossier_moved_to_the_next_wave_still_shows_postponed_after_the_first_publication(world):
    publish_wave(wave_id=world["wave1"].pk, now=AFTER_1)
    moved = Dossier.objects.get(pk=world["p"].pk)
    assert moved.wave == world["wave2"] and moved.decision_wave == world["wave1"]
    assert dossier_rules.shown_status(world["users"]["owner_p"], moved, now=AFTER_1) == DossierStatus.POSTPONED
    assert dossier_rules.shown_status(world["users"]["reviewer"], moved, now=BEFORE_2) == DossierStatus.POSTPONED


def test_the_next_wave_decision_on_a_postponed_dossier_stays_hidden_until_that_wave_publishes(world):
    redecided = _carry_over_and_redecide(world)
    assert redecided.decision_wave == world["wave2"]
    owner = world["users"]["owner_p"]
    # Still the published postponement and its date: recording the new decision changes nothing they can see.
    assert dossier_rules.shown_status(owner, redecided, now=BEFORE_2) == DossierStatus.POSTPONED
    assert dossier_rules.shown_decided_at(owner, redecided, now=BEFORE_2) == DECIDED_1
    assert dossier_rules.shown_status(owner, redecided, now=AFTER_2) == DossierStatus.LAUREATE
    assert dossier_rules.shown_status(world["users"]["committee"], redecided, now=BEFORE_2) == DossierStatus.LAUREATE


def test_the_next_wave_decision_is_not_public_before_that_wave_publishes(world):
    redecided = _carry_over_and_redecide(world)
    assert redecided not in published_laureates(now=BEFORE_2)
    assert redecided in published_laureates(now=AFTER_2)


def test_the_dossier_page_of_a_redecided_postponed_dossier_hides_the_new_decision(world):
    redecided = _carry_over_and_redecide(world)
    url = reverse("applications:dossier", args=[redecided.pk])
    assert _status_on_dossier_page(_text(_get(world, "owner_p", url, BEFORE_2))) == POSTPONED
    assert _status_on_dossier_page(_text(_get(world, "owner_p", url, AFTER_2))) == LAUREATE


# --- the applicants' pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "co_editor"])
def test_my_dossiers_shows_under_review_one_second_before_publication(world, role):
    body = _text(_get(world, role, reverse("applications:home"), BEFORE_1))
    assert "AMI-CONF-0001" in body
    assert not _says_laureate(body) and UNDER_REVIEW in body


@pytest.mark.parametrize("role", ["owner", "co_editor"])
def test_my_dossiers_shows_the_decision_one_second_after_publication(world, role):
    body = _text(_get(world, role, reverse("applications:home"), AFTER_1))
    assert _says_laureate(body)


@pytest.mark.parametrize("role", ["owner", "co_editor", "reviewer", *KNOW_EARLY])
@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_the_dossier_page_shows_the_status_the_role_may_see(world, role, when):
    response = _get(world, role, reverse("applications:dossier", args=[world["a"].pk]), when)
    assert response.status_code == 200
    expected = LAUREATE if role in KNOW_EARLY or when == AFTER_1 else UNDER_REVIEW
    assert _status_on_dossier_page(_text(response)) == expected


@pytest.mark.parametrize("name", ["receipt", "receipt_pdf"])
def test_the_receipt_never_states_a_decision(world, name):
    submission = world["a"].submissions.get()
    response = _get(world, "owner", reverse(f"applications:{name}", args=[world["a"].pk, submission.pk]), BEFORE_1)
    assert response.status_code == 200
    assert LAUREATE.encode() not in response.content and b"laureate" not in response.content.lower()


# --- the admin -----------------------------------------------------------------------------------------------------

CHANGELIST = reverse("admin:applications_dossier_changelist")


@pytest.mark.parametrize("role", ["reviewer", *KNOW_EARLY])
@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_the_admin_list_shows_the_status_the_role_may_see(world, role, when):
    body = _text(_get(world, role, CHANGELIST, when))
    shown = _admin_cell(body, "shown_status_label")
    if role in KNOW_EARLY:
        assert sorted(shown) == [LAUREATE, POSTPONED]
    elif when == BEFORE_1:
        assert shown == [UNDER_REVIEW, UNDER_REVIEW]
    else:
        assert sorted(shown) == [LAUREATE, POSTPONED]


@pytest.mark.parametrize("when, found", [(BEFORE_1, False), (AFTER_1, True)])
def test_the_status_filter_finds_no_laureate_for_a_reviewer_before_publication(world, when, found):
    body = _text(_get(world, "reviewer", CHANGELIST + "?status=laureate", when))
    assert ("AMI-CONF-0001" in body) is found


def test_the_status_filter_finds_the_laureate_for_the_committee_before_publication(world):
    body = _text(_get(world, "committee", CHANGELIST + "?status=laureate", BEFORE_1))
    assert "AMI-CONF-0001" in body


@pytest.mark.parametrize("role", ["reviewer", *KNOW_EARLY])
@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_the_admin_dossier_page_hides_status_date_history_and_justification_until_publication(world, role, when):
    body = _text(_get(world, role, reverse("admin:applications_dossier_change", args=[world["a"].pk]), when))
    visible = role in KNOW_EARLY or when == AFTER_1
    assert _says_laureate(body) is visible
    assert (JUSTIFICATION in body) is visible
    assert ("10 mars 2021" in body) is visible  # the decision date
    if not visible:
        assert UNDER_REVIEW in body


@pytest.mark.parametrize("role", ["reviewer", *KNOW_EARLY])
@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_the_admin_csv_export_states_the_status_the_role_may_see(world, role, when):
    with time_machine.travel(when, tick=False):
        response = _client(world, role).post(
            CHANGELIST, {"action": "export_csv", "_selected_action": [world["a"].pk], "index": 0}
        )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    expected = LAUREATE if role in KNOW_EARLY or when == AFTER_1 else UNDER_REVIEW
    assert rows[1][4] == expected


@pytest.mark.parametrize("role", ["reviewer", *KNOW_EARLY])
@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_the_dashboard_counts_by_the_status_the_role_may_see(world, role, when):
    body = _text(_get(world, role, reverse("admin:applications_dossier_dashboard"), when))
    visible = role in KNOW_EARLY or when == AFTER_1
    assert _says_laureate(body) is visible
    assert (POSTPONED in body) is visible


@pytest.mark.parametrize("when", [BEFORE_1, AFTER_1])
def test_the_conflict_form_shows_a_reviewer_only_the_published_decision(world, when):
    body = _get(world, "reviewer", reverse("admin:applications_dossier_conflict", args=[world["a"].pk]), when)
    assert _says_laureate(_text(body)) is (when == AFTER_1)


@pytest.mark.parametrize("role", ["coordinator", "committee"])
def test_the_ranking_shows_the_committee_its_decisions_before_publication(world, role):
    body = _get(world, role, reverse("admin:applications_dossier_ranking", args=[world["wave1"].pk]), BEFORE_1)
    assert _says_laureate(_text(body))


def test_a_reviewer_may_still_score_a_dossier_whose_decision_is_not_published(world):
    # The "Score" button does not vanish when the committee decides: that would tell the reviewer.
    with time_machine.travel(BEFORE_1, tick=False):
        assert world["users"]["reviewer"].has_perm("reviews.score_dossier", world["a"])
    with time_machine.travel(AFTER_1, tick=False):
        assert not world["users"]["reviewer"].has_perm("reviews.score_dossier", world["a"])


# --- e-mails and public pages --------------------------------------------------------------------------------------


def test_no_decision_email_is_queued_one_second_before_publication(world):
    run_due_wave_events(now=BEFORE_1)
    assert not OutboxMessage.objects.filter(kind=EmailKind.DECISION).exists()


def test_the_decision_emails_are_queued_at_publication(world):
    run_due_wave_events(now=AFTER_1)
    recipients = set(OutboxMessage.objects.filter(kind=EmailKind.DECISION).values_list("recipient", flat=True))
    assert {"co.editeur@example.fr", world["users"]["owner"].email} <= recipients


def test_the_next_wave_decision_email_waits_for_the_next_publication(world):
    _carry_over_and_redecide(world)
    run_due_wave_events(now=BEFORE_2)
    wave2_decision = OutboxMessage.objects.filter(
        kind=EmailKind.DECISION, event_key=f"decision:{world['p'].pk}:{world['wave2'].pk}:laureate"
    )
    assert not wave2_decision.exists()
    run_due_wave_events(now=AFTER_2)
    assert wave2_decision.exists()


@pytest.mark.parametrize("when, public", [(BEFORE_1, False), (AFTER_1, True)])
def test_the_public_laureates_follow_the_same_rule(world, when, public):
    assert (world["a"] in published_laureates(now=when)) is public


def test_a_decision_recorded_without_a_wave_stays_hidden(world):
    orphan = dossier_in(world["a"].region, wave=world["wave1"])
    orphan.wave = None
    orphan.save()
    transition_dossier(orphan, to=DossierStatus.NOT_RETAINED, now=DECIDED_1)
    assert orphan.decision_wave is None
    assert not dossier_rules.can_see_decision(orphan.owner, orphan, now=AFTER_2)


def test_a_reviewer_sees_a_carried_over_dossier_still_postponed_until_the_next_publication(world):
    redecided = _carry_over_and_redecide(world)
    page = reverse("admin:applications_dossier_change", args=[redecided.pk])
    before = _text(_get(world, "reviewer", page, BEFORE_2))
    assert POSTPONED in before and "10 mars 2021" in before  # the published postponement, and its date
    assert not _says_laureate(before) and "10 juin 2021" not in before
    assert POSTPONED in _admin_cell(_text(_get(world, "reviewer", CHANGELIST, BEFORE_2)), "shown_status_label")
    after = _text(_get(world, "reviewer", page, AFTER_2))
    assert _says_laureate(after) and "10 juin 2021" in after
