"""Submission at the deadline (server time, Europe/Paris), snapshot and fingerprint, withdraw and reopen."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from applications.domain.submission import (
    SubmissionRefused,
    WaveChanged,
    build_snapshot,
    canonical_json,
    fingerprint,
    reopen_dossier,
    submission_checklist,
    submit_dossier,
    withdraw_submission,
)
from applications.models import AttachmentKind, DossierTransition, Submission
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from tests.factories import DossierFactory, DossierPartnerFactory, UserFactory, reviewer

from .submission_support import add_co_editor, attach, paris, waves

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def submit_at(dossier, when, **kwargs):
    with time_machine.travel(when, tick=False):
        return submit_dossier(dossier, by=dossier.owner, **kwargs)


# --- deadline edges -------------------------------------------------------------------------------------

# Closing days chosen across daylight saving: 28 March 2021 (clocks go forward that night) and
# 31 October 2021 (clocks go back): the wave closes at the following midnight, Paris time.
DST_CLOSINGS = [
    pytest.param(paris(2021, 3, 29, 0, 0, 0), id="closing-28-march-2021"),
    pytest.param(paris(2021, 11, 1, 0, 0, 0), id="closing-31-october-2021"),
]


@pytest.mark.parametrize("closes_at", DST_CLOSINGS)
def test_submission_one_second_before_midnight_goes_to_the_closing_wave(closes_at):
    first, _second = waves(closes_at, closes_at + timedelta(days=90))
    dossier = DossierFactory(complete=True, wave=first)

    submission = submit_at(dossier, closes_at - timedelta(seconds=1))

    assert submission.wave == first


@pytest.mark.parametrize("closes_at", DST_CLOSINGS)
def test_submission_at_midnight_goes_to_the_next_wave(closes_at):
    first, second = waves(closes_at, closes_at + timedelta(days=90))
    dossier = DossierFactory(complete=True, wave=first)

    submission = submit_at(dossier, closes_at)

    assert submission.wave == second
    dossier.refresh_from_db()
    assert dossier.wave == second


def test_paris_midnight_is_22_utc_in_summer_and_23_utc_in_winter():
    # Guards the fixtures above: the DST cases really are on either side of a clock change.
    assert paris(2021, 3, 29).utcoffset() == timedelta(hours=2)
    assert paris(2021, 11, 1).utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("closes_at", DST_CLOSINGS)
def test_submission_at_midnight_of_the_last_wave_is_refused(closes_at):
    (only,) = waves(closes_at)
    dossier = DossierFactory(complete=True, wave=only)

    with pytest.raises(SubmissionRefused) as refusal:
        submit_at(dossier, closes_at)

    assert "dépôts sont clos" in refusal.value.message
    assert not Submission.objects.exists()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_confirmation_shown_before_midnight_is_refused_after_midnight_naming_the_new_wave():
    closes_at = paris(2021, 3, 29)
    first, second = waves(closes_at, closes_at + timedelta(days=90))
    dossier = DossierFactory(complete=True, wave=first)

    with pytest.raises(WaveChanged) as change:
        submit_at(dossier, closes_at, expected_wave_id=first.pk)

    assert change.value.wave == second
    assert "vague 2" in change.value.message
    assert not Submission.objects.exists()


def test_submission_confirmed_for_the_wave_it_goes_to_is_accepted():
    closes_at = paris(2021, 3, 29)
    first, second = waves(closes_at, closes_at + timedelta(days=90))
    dossier = DossierFactory(complete=True, wave=first)

    assert submit_at(dossier, closes_at, expected_wave_id=second.pk).wave == second


# --- what a submission does ------------------------------------------------------------------------------


def test_submission_makes_the_dossier_submitted_and_logs_it():
    dossier = DossierFactory(complete=True)

    submission = submit_dossier(dossier, by=dossier.owner)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.submitted_at == submission.submitted_at
    log = DossierTransition.objects.get(dossier=dossier)
    assert (log.from_status, log.to_status, log.by) == (DossierStatus.DRAFT, DossierStatus.SUBMITTED, dossier.owner)


def test_second_submission_of_the_same_dossier_is_refused():
    dossier = DossierFactory(complete=True)
    submit_dossier(dossier, by=dossier.owner)

    with pytest.raises(SubmissionRefused, match="déjà été déposé"):
        submit_dossier(dossier, by=dossier.owner)
    assert Submission.objects.count() == 1


def test_incomplete_dossier_is_refused():
    dossier = DossierFactory(complete=True)
    dossier.attachments.filter(kind=AttachmentKind.BUDGET_TABLE).delete()

    with pytest.raises(SubmissionRefused, match="incomplet"):
        submit_dossier(dossier, by=dossier.owner)


def test_someone_who_is_not_an_editor_cannot_submit():
    dossier = DossierFactory(complete=True)

    with pytest.raises(SubmissionRefused):
        submit_dossier(dossier, by=UserFactory())
    assert not Submission.objects.exists()


def test_checklist_lists_missing_attachments_and_section_gaps():
    dossier = DossierFactory(complete=True, title="")
    dossier.attachments.filter(kind=AttachmentKind.COUNCIL_DELIBERATION).delete()

    items = submission_checklist(dossier)

    section_url = reverse("applications:section", kwargs={"pk": dossier.pk, "key": "summary"})
    assert [(item.section, item.url) for item in items] == [
        ("summary", f"{section_url}#id_title"),
        ("attachments", f"/dossiers/{dossier.pk}/attachments/"),
    ]
    assert "Délibération du conseil" in items[1].label


def test_complete_factory_dossier_passes_the_real_completeness_rule():
    assert submission_checklist(DossierFactory(complete=True)) == []


def test_receipt_email_is_queued_once_for_the_owner_and_each_co_editor():
    dossier = DossierFactory(complete=True)
    co_editor = add_co_editor(dossier)

    submission = submit_dossier(dossier, by=dossier.owner)
    with pytest.raises(SubmissionRefused):
        submit_dossier(dossier, by=co_editor)

    messages = OutboxMessage.objects.filter(kind=EmailKind.RECEIPT)
    assert sorted(messages.values_list("recipient", flat=True)) == sorted([dossier.owner.email, co_editor.email])
    assert all(m.attachments == [{"kind": "receipt", "submission_id": submission.pk}] for m in messages)
    assert dossier.reference in render_message(messages.first()).body_text


# --- snapshot ------------------------------------------------------------------------------------------


def test_snapshot_holds_the_content_and_the_attachment_checksums():
    dossier = DossierFactory(complete=True, title="Campus connecté")

    snapshot = submit_dossier(dossier, by=dossier.owner).snapshot

    assert snapshot["dossier"]["title"] == "Campus connecté"
    assert snapshot["dossier"]["reference"] == dossier.reference
    assert sorted(a["sha256"] for a in snapshot["attachments"]) == sorted(
        dossier.attachments.values_list("sha256", flat=True)
    )


def test_fingerprint_is_the_sha256_of_the_canonical_snapshot():
    dossier = DossierFactory(complete=True)

    submission = submit_dossier(dossier, by=dossier.owner)

    assert submission.fingerprint == hashlib.sha256(canonical_json(submission.snapshot)).hexdigest()


def test_fingerprint_is_stable_for_unchanged_content():
    dossier = DossierFactory(complete=True)

    first = fingerprint(build_snapshot(dossier, wave=dossier.wave))
    second = fingerprint(build_snapshot(dossier, wave=dossier.wave))

    assert first == second


def test_fingerprint_changes_when_an_attachment_changes():
    dossier = DossierFactory(complete=True)
    before = fingerprint(build_snapshot(dossier, wave=dossier.wave))

    attach(dossier, AttachmentKind.OTHER)

    assert fingerprint(build_snapshot(dossier, wave=dossier.wave)) != before


# --- withdraw ------------------------------------------------------------------------------------------


def submitted_dossier(closes_at=None):
    closes_at = closes_at or paris(2021, 3, 29)
    (wave,) = waves(closes_at)
    dossier = DossierFactory(complete=True, wave=wave)
    submit_at(dossier, closes_at - timedelta(days=5))
    return dossier


def test_owner_withdraws_before_the_deadline_back_to_draft_with_reason():
    dossier = submitted_dossier()

    with time_machine.travel(paris(2021, 3, 28, 23, 59, 59), tick=False):
        withdraw_submission(dossier, by=dossier.owner, reason="Budget à revoir")

    dossier.refresh_from_db()
    assert (dossier.status, dossier.submitted_at) == (DossierStatus.DRAFT, None)
    assert dossier.transitions.last().reason == "Budget à revoir"


def test_withdrawal_is_mailed_once_to_the_owner_and_co_editors_with_the_reason():
    dossier = submitted_dossier()
    helper = add_co_editor(dossier)

    with time_machine.travel(paris(2021, 3, 28, 12, 0), tick=False):
        withdraw_submission(dossier, by=dossier.owner, reason="Budget à revoir")

    messages = OutboxMessage.objects.filter(kind=EmailKind.WITHDRAWN)
    assert sorted(m.recipient for m in messages) == sorted([dossier.owner.email, helper.email])
    assert all("Motif indiqué : Budget à revoir" in render_message(m).body_text for m in messages)


def test_withdraw_at_the_deadline_is_refused():
    dossier = submitted_dossier()

    with time_machine.travel(paris(2021, 3, 29), tick=False), pytest.raises(SubmissionRefused) as refusal:
        withdraw_submission(dossier, by=dossier.owner, reason="Trop tard")

    assert "date limite" in refusal.value.message
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_co_editor_cannot_withdraw():
    dossier = submitted_dossier()
    co_editor = add_co_editor(dossier)

    with time_machine.travel(paris(2021, 3, 28, 12), tick=False), pytest.raises(SubmissionRefused):
        withdraw_submission(dossier, by=co_editor, reason="Non")


def test_withdraw_needs_a_reason():
    dossier = submitted_dossier()

    with time_machine.travel(paris(2021, 3, 28, 12), tick=False), pytest.raises(SubmissionRefused, match="motif"):
        withdraw_submission(dossier, by=dossier.owner, reason="  ")


# --- reopen --------------------------------------------------------------------------------------------


def test_staff_reopens_with_a_message_recorded_and_emailed():
    dossier = submitted_dossier()
    co_editor = add_co_editor(dossier)
    staff = reviewer(dossier.region)

    with time_machine.travel(paris(2021, 3, 28, 12), tick=False):
        log = reopen_dossier(dossier, by=staff, message="Il manque la signature du maire.")

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT
    assert (log.from_status, log.to_status, log.by, log.reason) == (
        DossierStatus.SUBMITTED,
        DossierStatus.DRAFT,
        staff,
        "Il manque la signature du maire.",
    )
    recipients = OutboxMessage.objects.filter(kind=EmailKind.REOPENED).values_list("recipient", flat=True)
    assert sorted(recipients) == sorted([dossier.owner.email, co_editor.email])
    reopened = render_message(OutboxMessage.objects.filter(kind=EmailKind.REOPENED).first())
    assert "Il manque la signature du maire." in reopened.body_text


def test_an_official_cannot_reopen():
    dossier = submitted_dossier()

    with time_machine.travel(paris(2021, 3, 28, 12), tick=False), pytest.raises(SubmissionRefused):
        reopen_dossier(dossier, by=dossier.owner, message="Je veux corriger")


def test_staff_of_another_region_cannot_reopen():
    dossier = submitted_dossier()
    from tests.factories import RegionFactory

    with time_machine.travel(paris(2021, 3, 28, 12), tick=False), pytest.raises(SubmissionRefused):
        reopen_dossier(dossier, by=reviewer(RegionFactory()), message="Corrigez")


def test_reopen_after_the_deadline_is_refused():
    dossier = submitted_dossier()

    with time_machine.travel(paris(2021, 3, 29, 0, 0, 1), tick=False), pytest.raises(SubmissionRefused):
        reopen_dossier(dossier, by=reviewer(dossier.region), message="Corrigez")


# --- cost --------------------------------------------------------------------------------------------------


def _queries_of_a_submission(dossier) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        submit_dossier(dossier, by=dossier.owner)
    return len(queries)


def test_a_submission_costs_the_same_queries_whatever_the_dossier_holds():
    """At a deadline rush every query counts: the partners and attachments are read in one query each."""
    small = DossierFactory(complete=True)
    large = DossierFactory(complete=True)
    DossierPartnerFactory.create_batch(6, dossier=large)
    attach(large, AttachmentKind.OTHER)

    assert _queries_of_a_submission(small) == _queries_of_a_submission(large) <= 11


def test_co_editors_cost_a_submission_one_query_to_read_them_and_one_per_receipt():
    """Without co-editors nothing looks them up: the locked read of the dossier already says there are none."""
    alone = DossierFactory(complete=True)
    with_one = DossierFactory(complete=True)
    add_co_editor(with_one)
    with_co_editors = DossierFactory(complete=True)
    add_co_editor(with_co_editors)
    add_co_editor(with_co_editors)

    baseline = _queries_of_a_submission(alone)
    assert _queries_of_a_submission(with_one) == baseline + 2
    assert _queries_of_a_submission(with_co_editors) == baseline + 3
    assert OutboxMessage.objects.filter(event_key__startswith="receipt:").count() == 1 + 2 + 3
