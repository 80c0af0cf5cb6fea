"""Who holds a dossier (issue 10): mandate verification by regional staff, transfer, removal, requests to join,
and the expiry of co-editor invitations. Service level: who is e-mailed, what is logged, what is refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from applications.domain import holders, invitations
from applications.domain.submission import SubmissionRefused, submit_dossier
from applications.models import (
    DossierHolderLog,
    DossierInvitation,
    DossierJoinRequest,
    DossierMember,
    HolderAction,
    InvitationState,
    JoinRequestStatus,
)
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from tests.factories import DossierFactory, RegionFactory, UserFactory, official
from tests.reviews.factories import reviewer_of, staff

from .submission_support import add_co_editor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# E-mails are written in each recipient's language: French here (the users' default).


def mails(kind=None):
    """The queued rows, rendered as the worker will send them (templates are rendered at send time)."""
    rows = OutboxMessage.objects.order_by("pk")
    return [render_message(row) for row in (rows.filter(kind=kind) if kind else rows)]


def recipients(kind):
    return sorted(message.recipient for message in mails(kind))


@pytest.fixture
def unverified():
    """A complete draft whose holder's mandate awaits verification, and a reviewer of its région."""
    dossier = DossierFactory(complete=True, unverified_holder=True)
    return dossier, reviewer_of(dossier.region)


# --- mandate verification ----------------------------------------------------------------------------------------


def test_verification_records_who_when_and_on_what_basis(unverified):
    dossier, reviewer = unverified
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Lettre signée du maire")
    dossier.refresh_from_db()
    assert dossier.is_holder_mandate_verified
    assert (dossier.mandate_verified_by, dossier.mandate_verified_for) == (reviewer, dossier.owner)
    entry = DossierHolderLog.objects.get()
    assert (entry.action, entry.by, entry.concerning, entry.note) == (
        HolderAction.MANDATE_VERIFIED,
        reviewer,
        dossier.owner,
        "Lettre signée du maire",
    )


def test_verification_emails_the_holder_once(unverified):
    dossier, reviewer = unverified
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Délibération")
    with pytest.raises(holders.HolderChangeRefused):
        holders.verify_mandate(dossier=dossier, by=reviewer, basis="Encore")
    assert recipients(EmailKind.MANDATE_VERIFIED) == [dossier.owner.email]
    assert len(mails()) == 1


def test_verification_needs_a_basis(unverified):
    dossier, reviewer = unverified
    with pytest.raises(holders.HolderChangeRefused):
        holders.verify_mandate(dossier=dossier, by=reviewer, basis="  ")
    dossier.refresh_from_db()
    assert not dossier.is_holder_mandate_verified and not DossierHolderLog.objects.exists()


def test_reviewer_of_another_region_cannot_verify(unverified):
    dossier, _reviewer = unverified
    with pytest.raises(holders.HolderChangeRefused):
        holders.verify_mandate(dossier=dossier, by=reviewer_of(RegionFactory()), basis="Lettre")
    assert not mails() and not DossierHolderLog.objects.exists()


def test_official_cannot_verify_their_own_mandate(unverified):
    dossier, _reviewer = unverified
    with pytest.raises(holders.HolderChangeRefused):
        holders.verify_mandate(dossier=dossier, by=dossier.owner, basis="Moi")


def test_reviewer_with_a_conflict_of_interest_cannot_verify(unverified):
    from reviews.models import ConflictOfInterest

    dossier, reviewer = unverified
    ConflictOfInterest.objects.create(
        dossier=dossier, reviewer=reviewer, reason="Mon frère est maire", declared_at=timezone.now()
    )
    with pytest.raises(holders.HolderChangeRefused):
        holders.verify_mandate(dossier=dossier, by=reviewer, basis="Lettre")


def test_coordinator_verifies_in_any_region(unverified):
    dossier, _reviewer = unverified
    holders.verify_mandate(dossier=dossier, by=staff(Role.COORDINATOR), basis="Lettre")
    dossier.refresh_from_db()
    assert dossier.is_holder_mandate_verified


def test_revocation_needs_a_reason_then_blocks_submission_and_tells_the_holder(unverified):
    dossier, reviewer = unverified
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Lettre")
    with pytest.raises(holders.HolderChangeRefused):
        holders.revoke_mandate(dossier=dossier, by=reviewer, reason="")
    holders.revoke_mandate(dossier=dossier, by=reviewer, reason="La lettre n'est pas signée")
    dossier.refresh_from_db()
    assert not dossier.is_holder_mandate_verified
    assert list(DossierHolderLog.objects.values_list("action", flat=True)) == [
        HolderAction.MANDATE_VERIFIED,
        HolderAction.MANDATE_REVOKED,
    ]
    revoked = mails(EmailKind.HOLDER_CHANGE)
    assert [m.recipient for m in revoked] == [dossier.owner.email] and "n'est pas signée" in revoked[0].body_text


# --- submission ---------------------------------------------------------------------------------------------------


def test_submission_is_refused_while_the_mandate_awaits_verification(unverified):
    dossier, _reviewer = unverified
    with pytest.raises(SubmissionRefused) as refused:
        submit_dossier(dossier, by=dossier.owner)
    assert "not yet verified the mandate" in refused.value.message
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and not dossier.submissions.exists()


def test_submission_refusal_is_in_french(unverified, settings):  # noqa: F811
    from django.utils import translation

    dossier, _reviewer = unverified
    with translation.override("fr"), pytest.raises(SubmissionRefused) as refused:
        submit_dossier(dossier, by=dossier.owner)
    assert "Le Cnam n’a pas encore vérifié le mandat" in refused.value.message


def test_submission_is_accepted_once_the_mandate_is_verified(unverified):
    dossier, reviewer = unverified
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Lettre")
    submit_dossier(dossier, by=dossier.owner)
    assert dossier.status == DossierStatus.SUBMITTED


def test_a_verification_made_for_the_previous_holder_does_not_count():
    dossier = DossierFactory(complete=True)
    dossier.owner = official(commune=dossier.commune)
    dossier.save()
    assert not dossier.is_holder_mandate_verified
    with pytest.raises(SubmissionRefused):
        submit_dossier(dossier, by=dossier.owner)


# --- transfer -----------------------------------------------------------------------------------------------------


def test_transfer_changes_the_owner_resets_the_verification_and_logs_the_reason():
    dossier = DossierFactory(complete=True)
    previous, reviewer = dossier.owner, reviewer_of(dossier.region)
    mayor = official(commune=dossier.commune)
    holders.transfer_dossier(dossier=dossier, to=mayor, by=reviewer, reason="Le maire nous a écrit")
    dossier.refresh_from_db()
    assert dossier.owner == mayor and not dossier.is_holder_mandate_verified and dossier.mandate_verified_at is None
    entry = DossierHolderLog.objects.get()
    assert (entry.action, entry.concerning, entry.previous_owner, entry.by, entry.note) == (
        HolderAction.TRANSFERRED,
        mayor,
        previous,
        reviewer,
        "Le maire nous a écrit",
    )
    assert not DossierMember.objects.filter(dossier=dossier, user=previous).exists()


def test_transfer_emails_the_previous_holder_the_new_holder_and_the_co_editors():
    dossier = DossierFactory(complete=True)
    previous, co_editor = dossier.owner, add_co_editor(dossier)
    mayor = official(commune=dossier.commune)
    holders.transfer_dossier(dossier=dossier, to=mayor, by=reviewer_of(dossier.region), reason="Mandat du maire")
    sent = {m.recipient: m for m in mails(EmailKind.HOLDER_CHANGE)}
    assert set(sent) == {previous.email, mayor.email, co_editor.email}
    assert "vous n’y avez plus accès" in sent[previous.email].body_text
    assert mayor.get_full_name() not in sent[previous.email].body_text  # the one who lost it is not told who got it
    assert "vous a désigné titulaire" in sent[mayor.email].body_text
    assert mayor.get_full_name() in sent[co_editor.email].body_text


def test_transfer_can_keep_the_previous_holder_as_co_editor():
    dossier = DossierFactory(complete=True)
    previous = dossier.owner
    holders.transfer_dossier(
        dossier=dossier,
        to=official(commune=dossier.commune),
        by=reviewer_of(dossier.region),
        reason="Changement de maire",
        keep_previous_as_co_editor=True,
    )
    assert DossierMember.objects.filter(dossier=dossier, user=previous).exists()


def test_transfer_to_a_co_editor_makes_them_owner_not_both():
    dossier = DossierFactory(complete=True)
    co_editor = add_co_editor(dossier)
    holders.transfer_dossier(dossier=dossier, to=co_editor, by=reviewer_of(dossier.region), reason="Le bon élu")
    assert dossier.owner == co_editor and not DossierMember.objects.filter(dossier=dossier, user=co_editor).exists()


def test_transfer_needs_a_reason_and_regional_staff():
    dossier = DossierFactory(complete=True)
    mayor = official(commune=dossier.commune)
    with pytest.raises(holders.HolderChangeRefused):
        holders.transfer_dossier(dossier=dossier, to=mayor, by=reviewer_of(dossier.region), reason="")
    with pytest.raises(holders.HolderChangeRefused):
        holders.transfer_dossier(dossier=dossier, to=mayor, by=reviewer_of(RegionFactory()), reason="Pourquoi pas")
    with pytest.raises(holders.HolderChangeRefused):
        holders.transfer_dossier(dossier=dossier, to=mayor, by=dossier.owner, reason="Je donne")
    dossier.refresh_from_db()
    assert dossier.owner != mayor and not mails() and not DossierHolderLog.objects.exists()


# --- removal ------------------------------------------------------------------------------------------------------


def test_removing_a_co_editor_logs_it_and_emails_them_and_the_remaining_editors():
    dossier = DossierFactory(complete=True)
    co_editor = add_co_editor(dossier)
    DossierInvitation.objects.create(dossier=dossier, email=co_editor.email, token="t" * 20)
    holders.remove_holder(dossier=dossier, person=co_editor, by=reviewer_of(dossier.region), reason="Pas élu")
    assert not DossierMember.objects.filter(dossier=dossier, user=co_editor).exists()
    assert DossierInvitation.objects.get().revoked_at is not None
    assert DossierHolderLog.objects.get().action == HolderAction.CO_EDITOR_REMOVED
    assert recipients(EmailKind.HOLDER_CHANGE) == sorted([co_editor.email, dossier.owner.email])


def test_removing_the_owner_leaves_the_dossier_without_holder_nor_verified_mandate():
    dossier = DossierFactory(complete=True)
    owner, co_editor = dossier.owner, add_co_editor(dossier)
    holders.remove_holder(dossier=dossier, person=owner, by=staff(Role.COORDINATOR), reason="Usurpation")
    dossier.refresh_from_db()
    assert dossier.owner is None and not dossier.is_holder_mandate_verified
    assert DossierHolderLog.objects.get().action == HolderAction.OWNER_REMOVED
    sent = {m.recipient: m.body_text for m in mails(EmailKind.HOLDER_CHANGE)}
    assert set(sent) == {owner.email, co_editor.email} and "pas de titulaire pour le moment" in sent[co_editor.email]


def test_removal_needs_a_reason_and_a_person_who_edits():
    dossier = DossierFactory(complete=True)
    reviewer = reviewer_of(dossier.region)
    with pytest.raises(holders.HolderChangeRefused):
        holders.remove_holder(dossier=dossier, person=dossier.owner, by=reviewer, reason=" ")
    with pytest.raises(holders.HolderChangeRefused):
        holders.remove_holder(dossier=dossier, person=UserFactory(), by=reviewer, reason="Inconnu")
    assert not DossierHolderLog.objects.exists()


def test_holder_log_is_read_only_in_history_order():
    dossier = DossierFactory(complete=True, unverified_holder=True)
    reviewer = reviewer_of(dossier.region)
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Lettre")
    holders.revoke_mandate(dossier=dossier, by=reviewer, reason="Erreur")
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Délibération")
    assert [e.note for e in DossierHolderLog.objects.all()] == ["Lettre", "Erreur", "Délibération"]
    assert len(mails(EmailKind.MANDATE_VERIFIED)) == 2  # one per verification, never twice for the same one


# --- requests to join ------------------------------------------------------------------------------------------------


def test_request_to_join_is_recorded_once_and_emails_the_holder_once():
    dossier = DossierFactory(complete=True)
    colleague = official(commune=dossier.commune)
    first = holders.request_to_join(dossier=dossier, by=colleague)
    again = holders.request_to_join(dossier=dossier, by=colleague)
    assert first == again and DossierJoinRequest.objects.count() == 1
    assert recipients(EmailKind.INVITATION) == [dossier.owner.email]


def test_holder_accepts_a_request_the_requester_becomes_co_editor_and_is_told():
    dossier = DossierFactory(complete=True)
    colleague = official(commune=dossier.commune)
    request = holders.request_to_join(dossier=dossier, by=colleague)
    holders.answer_join_request(join_request=request, by=dossier.owner, accept=True)
    assert DossierMember.objects.filter(dossier=dossier, user=colleague).exists()
    answer = mails(EmailKind.JOIN_ANSWER)
    assert [m.recipient for m in answer] == [colleague.email] and "a été acceptée" in answer[0].subject
    assert DossierHolderLog.objects.get().action == HolderAction.JOIN_ACCEPTED


def test_holder_refuses_a_request_with_a_reason_the_requester_is_told_it():
    dossier = DossierFactory(complete=True)
    colleague = official(commune=dossier.commune)
    request = holders.request_to_join(dossier=dossier, by=colleague)
    holders.answer_join_request(join_request=request, by=dossier.owner, accept=False, reason="Je ne vous connais pas")
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.REFUSED and request.reason == "Je ne vous connais pas"
    assert not DossierMember.objects.filter(dossier=dossier, user=colleague).exists()
    answer = mails(EmailKind.JOIN_ANSWER)
    assert [m.recipient for m in answer] == [colleague.email] and "Je ne vous connais pas" in answer[0].body_text
    assert dossier.owner.email not in answer[0].body_text and dossier.owner.last_name not in answer[0].body_text


def test_a_request_is_answered_once():
    dossier = DossierFactory(complete=True)
    request = holders.request_to_join(dossier=dossier, by=official(commune=dossier.commune))
    holders.answer_join_request(join_request=request, by=dossier.owner, accept=False)
    with pytest.raises(holders.HolderChangeRefused):
        holders.answer_join_request(join_request=request, by=dossier.owner, accept=True)
    assert len(mails(EmailKind.JOIN_ANSWER)) == 1


def test_staff_of_the_region_answer_a_request_but_not_a_stranger_nor_a_co_editor():
    dossier = DossierFactory(complete=True)
    co_editor = add_co_editor(dossier)
    request = holders.request_to_join(dossier=dossier, by=official(commune=dossier.commune))
    for outsider in (co_editor, UserFactory(), reviewer_of(RegionFactory())):
        with pytest.raises(holders.HolderChangeRefused):
            holders.answer_join_request(join_request=request, by=outsider, accept=True)
    holders.answer_join_request(join_request=request, by=reviewer_of(dossier.region), accept=True)
    assert DossierMember.objects.filter(dossier=dossier, user=request.requester).exists()


def test_a_dossier_without_holder_keeps_the_request_for_staff_and_emails_nobody():
    dossier = DossierFactory(complete=True)
    dossier.owner = None
    dossier.save()
    request = holders.request_to_join(dossier=dossier, by=official(commune=dossier.commune))
    assert request.status == JoinRequestStatus.PENDING and not mails()


# --- invitations: expiry and single use ------------------------------------------------------------------------------


def _invitation(dossier, email, *, sent_at):
    invitation = DossierInvitation.objects.create(
        dossier=dossier, email=email, token=email * 2, invited_by=dossier.owner
    )
    DossierInvitation.objects.filter(pk=invitation.pk).update(created_at=sent_at)
    invitation.refresh_from_db()
    return invitation


def test_invitation_is_accepted_one_second_before_its_validity_ends(settings):
    settings.INVITATION_VALIDITY_DAYS = 14
    dossier, colleague = DossierFactory(complete=True), UserFactory(email="collegue@ville.fr")
    sent = timezone.now() - timedelta(days=30)
    invitation = _invitation(dossier, colleague.email, sent_at=sent)
    invitations.accept_invitation(invitation=invitation, user=colleague, now=sent + timedelta(days=14, seconds=-1))
    assert DossierMember.objects.filter(dossier=dossier, user=colleague).exists()


def test_invitation_is_refused_one_second_after_its_validity_ends(settings):
    settings.INVITATION_VALIDITY_DAYS = 14
    dossier, colleague = DossierFactory(complete=True), UserFactory(email="collegue@ville.fr")
    sent = timezone.now() - timedelta(days=30)
    invitation = _invitation(dossier, colleague.email, sent_at=sent)
    with pytest.raises(ValidationError) as refused:
        invitations.accept_invitation(invitation=invitation, user=colleague, now=sent + timedelta(days=14, seconds=1))
    assert "expired" in refused.value.messages[0]
    assert invitation.state_at(sent + timedelta(days=14)) == InvitationState.EXPIRED
    assert not DossierMember.objects.filter(user=colleague).exists()


def test_a_120_day_old_invitation_no_longer_works():
    dossier, colleague = DossierFactory(complete=True), UserFactory(email="collegue@ville.fr")
    invitation = _invitation(dossier, colleague.email, sent_at=timezone.now() - timedelta(days=120))
    with pytest.raises(ValidationError):
        invitations.accept_invitation(invitation=invitation, user=colleague)
    assert not invitations.pending_invitations_for(colleague).exists()


def test_invitation_validity_follows_the_setting(settings):
    settings.INVITATION_VALIDITY_DAYS = 3
    dossier = DossierFactory(complete=True)
    invitation = _invitation(dossier, "a@ville.fr", sent_at=timezone.now() - timedelta(days=4))
    assert invitation.state_at(timezone.now()) == InvitationState.EXPIRED


def test_an_invitation_link_works_once():
    dossier, colleague = DossierFactory(complete=True), UserFactory(email="collegue@ville.fr")
    invitation = _invitation(dossier, colleague.email, sent_at=timezone.now())
    invitations.accept_invitation(invitation=invitation, user=colleague)
    DossierMember.objects.filter(user=colleague).delete()  # removed since: the old link must not bring them back
    with pytest.raises(ValidationError) as refused:
        invitations.accept_invitation(invitation=DossierInvitation.objects.get(pk=invitation.pk), user=colleague)
    assert "already been used" in refused.value.messages[0]
    assert not DossierMember.objects.filter(user=colleague).exists()


def test_inviting_again_after_expiry_sends_a_new_link():
    dossier = DossierFactory(complete=True)
    old = _invitation(dossier, "collegue@ville.fr", sent_at=timezone.now() - timedelta(days=20))
    new = invitations.invite_co_editor(dossier=dossier, email="collegue@ville.fr", by=dossier.owner)
    old.refresh_from_db()
    assert new.pk != old.pk and new.token != old.token and new.is_valid_at(timezone.now())
    assert old.state_at(timezone.now()) == InvitationState.EXPIRED
    assert recipients(EmailKind.INVITATION) == ["collegue@ville.fr"]


def test_asking_for_a_new_link_notifies_the_holder_once():
    dossier = DossierFactory(complete=True)
    invitation = _invitation(dossier, "collegue@ville.fr", sent_at=timezone.now() - timedelta(days=20))
    assert holders.request_new_invitation(invitation=invitation) is True
    assert holders.request_new_invitation(invitation=invitation) is False
    sent = mails(EmailKind.INVITATION_RENEWAL)
    assert [m.recipient for m in sent] == [dossier.owner.email] and "collegue@ville.fr" in sent[0].body_text


def test_a_valid_link_needs_no_renewal():
    dossier = DossierFactory(complete=True)
    invitation = _invitation(dossier, "collegue@ville.fr", sent_at=timezone.now())
    assert holders.request_new_invitation(invitation=invitation) is False and not mails()


@pytest.mark.parametrize(
    "event", ["revoked", "transferred_away", "transferred_to", "transferred_team", "removed", "removed_team"]
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_holder_change_email_renders_its_own_subject_and_text(event, language):
    from notifications.services import render_email

    context = {
        "event": event,
        "reference": "AMI-1",
        "applicant": "Alès",
        "campaign": "AMI",
        "reason": "Motif",
        "dossier_url": "https://ami.example/d/1",
        "new_holder": "Jeanne",
        "removed": "Paul",
        "was_owner": True,
    }
    subject, text, html = render_email(EmailKind.HOLDER_CHANGE, context, language)
    assert "AMI-1" in subject and "AMI-1" in text and "Motif" in text and "Motif" in html
    assert "{{" not in text and "%(" not in text and "de Alès" not in text
    if event in ("transferred_away", "removed"):
        assert "https://ami.example/d/1" not in text  # they no longer have access: no link to the dossier


def test_awaiting_mandate_verification_matches_the_derived_property():
    from applications.models import Dossier

    verified = DossierFactory(complete=True)
    waiting = DossierFactory(complete=True, unverified_holder=True)
    transferred = DossierFactory(complete=True)
    transferred.owner = official(commune=transferred.commune)
    transferred.save()
    without_holder = DossierFactory(complete=True)
    without_holder.owner = None
    without_holder.save()
    awaiting = set(Dossier.objects.awaiting_mandate_verification())
    assert awaiting == {waiting, transferred, without_holder}
    assert all(not d.is_holder_mandate_verified for d in awaiting) and verified.is_holder_mandate_verified


def test_the_owner_removing_a_co_editor_is_written_to_the_holder_log():
    dossier = DossierFactory(complete=True)
    co_editor = add_co_editor(dossier)
    member = DossierMember.objects.get(user=co_editor)
    invitations.remove_co_editor(dossier=dossier, member=member, by=dossier.owner)
    entry = DossierHolderLog.objects.get()
    assert (entry.action, entry.concerning, entry.by) == (HolderAction.CO_EDITOR_REMOVED, co_editor, dossier.owner)
