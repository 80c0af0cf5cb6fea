"""Wave after-effects and reminders at the service level: driven by the dates, done once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from applications.domain import lifecycle
from applications.models import DossierMember
from applications.signals import wave_closed
from applications.states import DossierStatus
from cities.models import Programme, ProgrammeMembership
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from tests.factories import CampaignFactory, CommuneFactory, DossierFactory, EpciFactory, UserFactory, WaveFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def two_waves(closes=None):
    closes = closes or paris(2026, 3, 31, 0, 0)
    campaign = CampaignFactory()
    first = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=closes - timedelta(days=60),
        closes_at=closes,
        publishes_at=closes + timedelta(days=30),
    )
    second = WaveFactory(
        campaign=campaign,
        number=2,
        opens_at=closes + timedelta(days=10),
        closes_at=closes + timedelta(days=70),
        publishes_at=closes + timedelta(days=100),
    )
    return first, second


def coordinator(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR)[0])
    return user


def co_editor(dossier):
    user = UserFactory()
    DossierMember.objects.create(dossier=dossier, user=user)
    return user


def mails(kind):
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("recipient", flat=True))


# --- Closing ---------------------------------------------------------------------------------------------------


def test_wave_is_not_closed_one_second_before_its_closing_time():
    first, _ = two_waves()
    DossierFactory(wave=first, status=DossierStatus.SUBMITTED)
    assert lifecycle.run_due_wave_events(now=first.closes_at - timedelta(seconds=1))["closed"] == []
    first.refresh_from_db()
    assert first.closed_effects_done_at is None


def test_closing_puts_submitted_dossiers_under_review_logged_as_wave_closed():
    first, _ = two_waves()
    dossier = DossierFactory(wave=first, status=DossierStatus.SUBMITTED)
    assert lifecycle.close_wave(wave_id=first.pk, now=first.closes_at) is True
    dossier.refresh_from_db()
    log = dossier.transitions.get()
    assert dossier.status == DossierStatus.UNDER_REVIEW
    assert (log.by, log.reason, log.to_status) == (None, "Clôture de la vague", DossierStatus.UNDER_REVIEW)


def test_closing_moves_open_drafts_to_the_next_wave_and_tells_their_editors_once():
    first, second = two_waves()
    draft = DossierFactory(wave=first)
    helper = co_editor(draft)
    lifecycle.close_wave(wave_id=first.pk, now=first.closes_at)
    draft.refresh_from_db()
    assert draft.wave == second and draft.status == DossierStatus.DRAFT
    assert mails(EmailKind.WAVE_CLOSED_DRAFT) == sorted([draft.owner.email, helper.email])
    body = render_message(OutboxMessage.objects.filter(kind=EmailKind.WAVE_CLOSED_DRAFT).first()).body_text
    assert "vague 2" in body


def test_draft_of_the_last_wave_stays_without_wave_and_is_told_none_is_planned():
    first, second = two_waves()
    draft = DossierFactory(wave=second)
    lifecycle.close_wave(wave_id=second.pk, now=second.closes_at)
    draft.refresh_from_db()
    assert draft.wave is None
    assert (
        "Aucune vague ultérieure"
        in render_message(OutboxMessage.objects.get(kind=EmailKind.WAVE_CLOSED_DRAFT)).body_text
    )


def test_closing_logs_each_draft_moved_to_the_next_wave():
    first, second = two_waves()
    draft = DossierFactory(wave=first)
    lifecycle.close_wave(wave_id=first.pk, now=first.closes_at)
    move = draft.wave_moves.get()
    assert (move.from_wave, move.to_wave, move.at, move.by) == (first, second, first.closes_at, None)
    assert move.reason == "Non déposé à la clôture de la vague 1."


def test_closing_the_last_wave_logs_the_draft_left_without_wave():
    _first, second = two_waves()
    draft = DossierFactory(wave=second)
    lifecycle.close_wave(wave_id=second.pk, now=second.closes_at)
    assert (draft.wave_moves.get().from_wave, draft.wave_moves.get().to_wave) == (second, None)


def test_wave_closing_run_twice_sends_each_summary_once_and_signals_once():
    first, _ = two_waves()
    coordinators = [coordinator(), coordinator()]
    DossierFactory(wave=first, status=DossierStatus.SUBMITTED)
    received = []

    def receiver(sender, wave, **kwargs):
        received.append(wave.pk)

    wave_closed.connect(receiver)
    try:
        assert lifecycle.run_due_wave_events(now=first.closes_at)["closed"] == [first.pk]
        assert lifecycle.run_due_wave_events(now=first.closes_at + timedelta(minutes=1))["closed"] == []
    finally:
        wave_closed.disconnect(receiver)
    assert received == [first.pk]
    assert mails(EmailKind.WAVE_SUMMARY) == sorted(c.email for c in coordinators)


def test_wave_closing_run_late_still_runs_once():
    first, _ = two_waves()
    DossierFactory(wave=first, status=DossierStatus.SUBMITTED)
    done = lifecycle.run_due_wave_events(now=first.closes_at + timedelta(days=3))
    first.refresh_from_db()
    assert done["closed"] == [first.pk] and first.closed_effects_done_at == first.closes_at + timedelta(days=3)


def test_receiver_failure_rolls_the_closing_back_for_the_next_sweep():
    first, _ = two_waves()
    dossier = DossierFactory(wave=first, status=DossierStatus.SUBMITTED)

    def broken(sender, wave, **kwargs):
        raise RuntimeError("assignment failed")

    wave_closed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            lifecycle.close_wave(wave_id=first.pk, now=first.closes_at)
    finally:
        wave_closed.disconnect(broken)
    dossier.refresh_from_db()
    first.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and first.closed_effects_done_at is None


def test_summary_counts_dossiers_per_region_and_programme():
    first, _ = two_waves()
    a = DossierFactory(wave=first, status=DossierStatus.SUBMITTED)
    DossierFactory(wave=first, status=DossierStatus.SUBMITTED, commune__departement=a.commune.departement)
    ProgrammeMembership.objects.create(programme=Programme.ACV, commune=a.commune, source="test")
    ProgrammeMembership.objects.create(programme=Programme.TI, commune=a.commune, source="test")
    DossierFactory(wave=first)  # a draft: not counted
    dossiers = list(first.dossiers.with_programmes().filter(status=DossierStatus.SUBMITTED).select_related("region"))
    summary = lifecycle.wave_summary(first, dossiers, drafts_moved=1)
    assert summary["total"] == 2 and summary["without_programme"] == 1
    assert summary["rows"] == [{"region": a.region.name, "total": 2, "acv": 1, "ti": 1}]
    assert {p["code"]: p["count"] for p in summary["programmes"]} == {"acv": 1, "ti": 1}


def test_summary_of_a_closing_counts_an_epci_dossier_in_its_communes_programme():
    first, _ = two_waves()
    coordinator()
    epci = EpciFactory()
    ProgrammeMembership.objects.create(programme=Programme.TI, commune=CommuneFactory(epci=epci), source="test")
    DossierFactory(wave=first, status=DossierStatus.SUBMITTED, commune=None, epci=epci)
    lifecycle.close_wave(wave_id=first.pk, now=first.closes_at)
    message = OutboxMessage.objects.get(kind=EmailKind.WAVE_SUMMARY)
    summary = lifecycle.wave_summary(first, list(first.dossiers.with_programmes()), drafts_moved=0)
    assert {p["code"]: p["count"] for p in summary["programmes"]} == {"acv": 0, "ti": 1}
    assert summary["without_programme"] == 0
    assert "Territoires d'industrie : 1" in " ".join(render_message(message).body_text.split())


def test_summary_mail_is_in_french_with_the_counts():
    first, _ = two_waves()
    coordinator()
    DossierFactory(wave=first, status=DossierStatus.SUBMITTED)
    lifecycle.close_wave(wave_id=first.pk, now=first.closes_at)
    message = render_message(OutboxMessage.objects.get(kind=EmailKind.WAVE_SUMMARY))
    assert message.subject == "Vague 1 close : 1 dossier déposé"
    assert "Par région" in message.body_text


# --- Publication and decisions -----------------------------------------------------------------------------------


def test_no_decision_is_mailed_before_publication():
    first, _ = two_waves()
    DossierFactory(wave=first, status=DossierStatus.LAUREATE)
    lifecycle.run_due_wave_events(now=first.publishes_at - timedelta(seconds=1))
    assert mails(EmailKind.DECISION) == []


def test_decisions_are_mailed_to_owner_and_co_editors_at_publication_once():
    first, _ = two_waves()
    laureate = DossierFactory(wave=first, status=DossierStatus.LAUREATE)
    helper = co_editor(laureate)
    refused = DossierFactory(wave=first, status=DossierStatus.NOT_RETAINED)
    DossierFactory(wave=first, status=DossierStatus.UNDER_REVIEW)
    lifecycle.run_due_wave_events(now=first.publishes_at)
    lifecycle.run_due_wave_events(now=first.publishes_at + timedelta(minutes=1))
    assert mails(EmailKind.DECISION) == sorted([laureate.owner.email, helper.email, refused.owner.email])
    subjects = {render_message(m).subject for m in OutboxMessage.objects.filter(kind=EmailKind.DECISION)}
    assert f"Dossier {laureate.reference} : votre territoire est lauréat" in subjects


def test_decision_recorded_after_publication_is_mailed_by_the_next_sweep_once():
    first, _ = two_waves()
    dossier = DossierFactory(wave=first, status=DossierStatus.UNDER_REVIEW)
    lifecycle.run_due_wave_events(now=first.publishes_at)
    dossier.status = DossierStatus.POSTPONED
    dossier.save()
    assert lifecycle.run_due_wave_events(now=first.publishes_at + timedelta(days=1))["late_decisions"] == 1
    assert lifecycle.run_due_wave_events(now=first.publishes_at + timedelta(days=1))["late_decisions"] == 0
    message = render_message(OutboxMessage.objects.get(kind=EmailKind.DECISION))
    assert message.event_key == f"decision:{dossier.pk}:{first.pk}:postponed"
    assert "vague 2" in message.body_text
    dossier.refresh_from_db()
    assert dossier.wave.number == 2


def test_postponed_dossier_moves_to_the_next_wave_once_its_decision_is_published():
    first, second = two_waves()
    dossier = DossierFactory(wave=first, status=DossierStatus.POSTPONED)
    lifecycle.run_due_wave_events(now=first.publishes_at)
    dossier.refresh_from_db()
    assert dossier.wave == second
    assert OutboxMessage.objects.filter(kind=EmailKind.DECISION).count() == 1


def test_carrying_a_postponed_dossier_over_is_logged_once():
    first, second = two_waves()
    dossier = DossierFactory(wave=first, status=DossierStatus.POSTPONED)
    lifecycle.run_due_wave_events(now=first.publishes_at)
    lifecycle.run_due_wave_events(now=first.publishes_at + timedelta(minutes=1))
    move = dossier.wave_moves.get()
    assert (move.from_wave, move.to_wave, move.at) == (first, second, first.publishes_at)
    assert move.reason == "Ajourné à la vague 1 : examiné de nouveau à la vague suivante."


def test_later_decision_on_a_postponed_dossier_waits_for_the_next_wave_publication():
    first, second = two_waves()
    dossier = DossierFactory(wave=first, status=DossierStatus.POSTPONED)
    lifecycle.run_due_wave_events(now=first.publishes_at)
    dossier.refresh_from_db()
    dossier.status = DossierStatus.LAUREATE
    dossier.save()
    lifecycle.run_due_wave_events(now=second.publishes_at - timedelta(seconds=1))
    assert OutboxMessage.objects.filter(kind=EmailKind.DECISION).count() == 1
    lifecycle.run_due_wave_events(now=second.publishes_at)
    assert OutboxMessage.objects.filter(kind=EmailKind.DECISION).count() == 2


# --- Reminders -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "label"),
    [(timedelta(days=14), "14d"), (timedelta(days=3), "3d"), (timedelta(hours=24), "24h")],
)
def test_reminder_is_due_from_its_threshold(before, label):
    first, _ = two_waves()
    assert lifecycle.reminder_due(first, first.closes_at - before) == label
    assert lifecycle.reminder_due(first, first.closes_at - before - timedelta(seconds=1)) != label


def test_no_reminder_after_closing():
    first, _ = two_waves()
    assert lifecycle.reminder_due(first, first.closes_at) is None


def test_reminder_goes_to_owner_and_co_editors_once_when_the_task_runs_twice():
    first, _ = two_waves()
    draft = DossierFactory(wave=first)
    helper = co_editor(draft)
    now = first.closes_at - timedelta(days=3)
    lifecycle.send_reminders(now=now)
    lifecycle.send_reminders(now=now + timedelta(minutes=15))
    assert mails(EmailKind.REMINDER) == sorted([draft.owner.email, helper.email])
    assert OutboxMessage.objects.filter(event_key=f"reminder:{draft.pk}:{first.pk}:3d").count() == 2


def test_each_threshold_reminds_once():
    first, _ = two_waves()
    draft = DossierFactory(wave=first)
    for before in (timedelta(days=14), timedelta(days=3), timedelta(hours=24), timedelta(hours=1)):
        lifecycle.send_reminders(now=first.closes_at - before)
    events = sorted(OutboxMessage.objects.filter(kind=EmailKind.REMINDER).values_list("event_key", flat=True))
    assert events == [f"reminder:{draft.pk}:{first.pk}:{label}" for label in ("14d", "24h", "3d")]
    assert OutboxMessage.objects.count() == 3


@pytest.mark.parametrize("status", [DossierStatus.SUBMITTED, DossierStatus.WITHDRAWN, DossierStatus.UNDER_REVIEW])
def test_no_reminder_for_a_dossier_that_is_not_a_draft(status):
    first, _ = two_waves()
    DossierFactory(wave=first, status=status)
    assert lifecycle.send_reminders(now=first.closes_at - timedelta(hours=2)) == 0
    assert mails(EmailKind.REMINDER) == []


def test_no_reminder_more_than_14_days_before():
    first, _ = two_waves()
    DossierFactory(wave=first)
    lifecycle.send_reminders(now=first.closes_at - timedelta(days=14, seconds=1))
    assert mails(EmailKind.REMINDER) == []


@pytest.mark.parametrize(
    ("closes", "last_second_without", "first_second_with"),
    [
        # Spring forward (29 March 2026, 02:00 → 03:00): 24 real hours before 12:00 is 11:00 the day before.
        (paris(2026, 3, 29, 12, 0), paris(2026, 3, 28, 10, 59, 59), paris(2026, 3, 28, 11, 0)),
        # Fall back (25 October 2026, 03:00 → 02:00): 24 real hours before 12:00 is 13:00 the day before.
        (paris(2026, 10, 25, 12, 0), paris(2026, 10, 24, 12, 59, 59), paris(2026, 10, 24, 13, 0)),
    ],
)
def test_24_hour_reminder_counts_real_hours_across_daylight_saving(closes, last_second_without, first_second_with):
    first, _ = two_waves(closes=closes)
    draft = DossierFactory(wave=first)
    lifecycle.send_reminders(now=last_second_without)
    assert not OutboxMessage.objects.filter(event_key=f"reminder:{draft.pk}:{first.pk}:24h").exists()
    lifecycle.send_reminders(now=first_second_with)
    assert OutboxMessage.objects.filter(event_key=f"reminder:{draft.pk}:{first.pk}:24h").exists()


def test_reminder_mail_is_in_french_with_the_deadline_in_paris_time():
    first, _ = two_waves(closes=paris(2026, 3, 29, 12, 0))
    DossierFactory(wave=first)
    lifecycle.send_reminders(now=paris(2026, 3, 28, 12, 0))
    message = render_message(OutboxMessage.objects.get(kind=EmailKind.REMINDER))
    assert message.subject.startswith("Dernières 24 heures pour déposer le dossier")
    assert "dimanche 29 mars 2026 à 12:00 (heure de Paris)" in message.body_text
