"""Dossier holders at the URL level (issue 10): who may verify, transfer, remove and answer in the admin; what a
stranger sees; the official's view of the pending mandate; submission blocked then allowed; invitation links."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.domain import holders
from applications.models import (
    AttachmentKind,
    DossierHolderLog,
    DossierInvitation,
    DossierJoinRequest,
    DossierMember,
    Submission,
)
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from tests.factories import DossierFactory, OfficialProfileFactory, RegionFactory, UserFactory, official
from tests.reviews.factories import reviewer_of, staff

from .submission_support import add_co_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A complete draft of a commune whose holder's mandate awaits verification."""
    return DossierFactory(complete=True, unverified_holder=True)


def holders_url(dossier):
    return reverse("admin:applications_dossier_holders", args=[dossier.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def verify(client, dossier, basis="Lettre d'engagement signée"):
    return client.post(holders_url(dossier), {"holder_action": "verify", "verify-basis": basis})


def transfer(client, dossier, to, reason="Le maire nous a écrit"):
    return client.post(
        holders_url(dossier), {"holder_action": "transfer", "transfer-email": to.email, "transfer-reason": reason}
    )


# --- the admin pages: who may act ------------------------------------------------------------------------------


def test_reviewer_of_the_region_sees_the_holder_of_a_draft_and_the_mandate_documents(client, draft):
    page = as_user(client, reviewer_of(draft.region)).get(holders_url(draft))
    assert page.status_code == 200
    text = page.content.decode()
    assert draft.owner.email in text and "en attente de vérification" in text
    letter = draft.attachments.get(kind=AttachmentKind.COMMITMENT_LETTER)
    assert reverse("admin:applications_dossier_mandate_document", args=[draft.pk, letter.pk]) in text


def test_reviewer_of_the_region_verifies_the_mandate(client, draft):
    reviewer = reviewer_of(draft.region)
    response = verify(as_user(client, reviewer), draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_holder_mandate_verified and draft.mandate_verified_by == reviewer
    assert OutboxMessage.objects.get().kind == EmailKind.MANDATE_VERIFIED


def test_reviewer_of_another_region_can_neither_see_nor_verify(client, draft):
    outsider = as_user(client, reviewer_of(RegionFactory()))
    assert outsider.get(holders_url(draft)).status_code == 404
    assert verify(outsider, draft).status_code == 404
    draft.refresh_from_db()
    assert not draft.is_holder_mandate_verified and not DossierHolderLog.objects.exists()


def test_reviewer_of_another_region_cannot_transfer(client, draft):
    mayor = official(commune=draft.commune)
    assert transfer(as_user(client, reviewer_of(RegionFactory())), draft, mayor).status_code == 404
    draft.refresh_from_db()
    assert draft.owner != mayor and not OutboxMessage.objects.exists()


def test_an_official_cannot_verify_their_own_mandate_nor_transfer(client, draft):
    owner = as_user(client, draft.owner)
    assert verify(owner, draft)["Location"].startswith(reverse("admin:login"))
    assert transfer(owner, draft, official(commune=draft.commune))["Location"].startswith(reverse("admin:login"))
    draft.refresh_from_db()
    assert not draft.is_holder_mandate_verified and not DossierHolderLog.objects.exists()


def test_committee_members_cannot_change_holders(client, draft):
    committee = as_user(client, staff(Role.COMMITTEE))
    assert verify(committee, draft).status_code == 403
    assert not DossierHolderLog.objects.exists()


def test_coordinator_transfers_in_any_region_and_the_verification_starts_again(client):
    dossier = DossierFactory(complete=True)
    mayor = official(commune=dossier.commune)
    response = transfer(as_user(client, staff(Role.COORDINATOR)), dossier, mayor)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.owner == mayor and not dossier.is_holder_mandate_verified


def test_transfer_to_an_unknown_address_is_refused_and_changes_nothing(client, draft):
    owner = draft.owner
    response = as_user(client, reviewer_of(draft.region)).post(
        holders_url(draft),
        {
            "holder_action": "transfer",
            "transfer-email": "inconnu@ville.fr",
            "transfer-reason": "Mandat",
        },
    )
    assert response.status_code == 400 and "Aucun compte actif" in response.content.decode()
    draft.refresh_from_db()
    assert draft.owner == owner


def test_transfer_without_reason_is_refused(client, draft):
    response = transfer(as_user(client, reviewer_of(draft.region)), draft, official(commune=draft.commune), reason="")
    assert response.status_code == 400 and not DossierHolderLog.objects.exists()


def test_staff_remove_a_co_editor_with_a_reason(client, draft):
    co_editor = add_co_editor(draft)
    response = as_user(client, reviewer_of(draft.region)).post(
        holders_url(draft),
        {
            "holder_action": "remove",
            "remove-person": co_editor.pk,
            "remove-reason": "Pas de mandat",
        },
    )
    assert response.status_code == 302
    assert not DossierMember.objects.filter(user=co_editor).exists()
    assert DossierHolderLog.objects.get().note == "Pas de mandat"


def test_staff_answer_a_request_to_join_from_the_admin(client, draft):
    requester = official(commune=draft.commune)
    request = holders.request_to_join(dossier=draft, by=requester)
    as_user(client, reviewer_of(draft.region)).post(
        holders_url(draft),
        {
            "holder_action": "answer",
            "join_request": request.pk,
            "refuse": "1",
            f"answer-{request.pk}-reason": "Demande inconnue de la mairie",
        },
    )
    request.refresh_from_db()
    assert request.status == "refused" and request.reason == "Demande inconnue de la mairie"
    assert OutboxMessage.objects.filter(kind=EmailKind.JOIN_ANSWER, recipient=requester.email).exists()


def test_mandate_documents_open_for_the_region_only_and_only_those_documents(client, draft):
    letter = draft.attachments.get(kind=AttachmentKind.COMMITMENT_LETTER)
    budget = draft.attachments.get(kind=AttachmentKind.BUDGET_TABLE)

    def url(attachment):
        return reverse("admin:applications_dossier_mandate_document", args=[draft.pk, attachment.pk])

    reviewer = as_user(client, reviewer_of(draft.region))
    assert reviewer.get(url(letter)).status_code == 200
    assert reviewer.get(url(budget)).status_code == 404
    assert as_user(client, reviewer_of(RegionFactory())).get(url(letter)).status_code == 404


def test_mandates_list_shows_the_regions_unverified_dossiers_only(client, draft):
    elsewhere = DossierFactory(complete=True, unverified_holder=True)
    verified = DossierFactory(complete=True, commune__departement=draft.commune.departement)
    page = as_user(client, reviewer_of(draft.region)).get(reverse("admin:applications_dossier_mandates"))
    text = page.content.decode()
    assert draft.reference in text
    assert elsewhere.reference not in text and verified.reference not in text


# --- the stranger and the official ---------------------------------------------------------------------------------


def test_home_of_a_stranger_says_the_territory_is_held_without_naming_anyone(client):
    owner = UserFactory(first_name="Jeanne", last_name="Martin", email="jeanne.martin@mairie.fr")
    dossier = DossierFactory(complete=True, owner=owner)
    OfficialProfileFactory(user=owner, commune=dossier.commune)
    stranger = official(commune=dossier.commune)
    text = as_user(client, stranger).get(reverse("applications:home")).content.decode()
    assert "tenu par un autre élu ou agent du territoire" in text
    for secret in ("Jeanne", "Martin", "jeanne.martin", "mairie.fr"):
        assert secret not in text


def test_asking_to_join_then_the_home_says_the_request_awaits_an_answer(client):
    dossier = DossierFactory(complete=True)
    stranger = as_user(client, official(commune=dossier.commune))
    stranger.post(
        reverse("applications:join_request", kwargs={"slug": dossier.campaign.slug}),
        {"applicant": f"commune-{dossier.commune_id}"},
    )
    assert DossierJoinRequest.objects.filter(dossier=dossier).count() == 1
    assert "attend une réponse" in stranger.get(reverse("applications:home")).content.decode()


def test_holder_accepts_a_request_from_the_co_editors_page(client):
    dossier = DossierFactory(complete=True)
    requester = official(commune=dossier.commune)
    request = holders.request_to_join(dossier=dossier, by=requester)
    owner = as_user(client, dossier.owner)
    assert requester.email in owner.get(reverse("applications:team", kwargs={"pk": dossier.pk})).content.decode()
    owner.post(
        reverse("applications:answer_join_request", kwargs={"pk": dossier.pk, "request_pk": request.pk}),
        {"accept": "1"},
    )
    assert DossierMember.objects.filter(dossier=dossier, user=requester).exists()


def test_a_co_editor_cannot_answer_a_request(client):
    dossier = DossierFactory(complete=True)
    co_editor = add_co_editor(dossier)
    request = holders.request_to_join(dossier=dossier, by=official(commune=dossier.commune))
    response = as_user(client, co_editor).post(
        reverse("applications:answer_join_request", kwargs={"pk": dossier.pk, "request_pk": request.pk}),
        {"accept": "1"},
    )
    assert response.status_code == 403 and not DossierMember.objects.filter(user=request.requester).exists()


def test_official_sees_that_the_mandate_awaits_verification_on_the_dossier(client, draft):
    text = as_user(client, draft.owner).get(reverse("applications:dossier", kwargs={"pk": draft.pk})).content.decode()
    assert "Mandat en attente de vérification par le Cnam" in text


# --- submission ---------------------------------------------------------------------------------------------------


def _confirm(client, dossier):
    return client.post(
        reverse("applications:submit", kwargs={"pk": dossier.pk}), {"wave": dossier.wave_id, "token": uuid.uuid4()}
    )


def test_submission_page_is_blocked_then_allowed_after_verification(client, draft):
    owner = as_user(client, draft.owner)
    checklist = owner.get(reverse("applications:submit", kwargs={"pk": draft.pk})).content.decode()
    assert "Mandat en attente de vérification" in checklist and 'name="token"' not in checklist
    refused = _confirm(owner, draft)
    assert refused.status_code == 409 and "pas encore vérifié le mandat" in refused.content.decode()
    assert not Submission.objects.exists()

    holders.verify_mandate(dossier=draft, by=reviewer_of(draft.region), basis="Délibération du conseil")
    assert _confirm(owner, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.status == DossierStatus.SUBMITTED


# --- invitation links ---------------------------------------------------------------------------------------------


def _invitation(dossier, email, *, age):
    invitation = DossierInvitation.objects.create(
        dossier=dossier, email=email, token=uuid.uuid4().hex, invited_by=dossier.owner
    )
    DossierInvitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - age)
    return invitation


def invitation_url(invitation):
    return reverse("applications:invitation", kwargs={"token": invitation.token})


def test_an_expired_link_says_so_and_offers_to_ask_for_a_new_one(client):
    dossier = DossierFactory(complete=True)
    colleague = UserFactory(email="collegue@ville.fr")
    invitation = _invitation(dossier, colleague.email, age=timedelta(days=120))
    page = as_user(client, colleague).get(invitation_url(invitation))
    assert page.status_code == 410
    text = page.content.decode()
    assert "Ce lien d’invitation a expiré" in text and "Demander un nouveau lien" in text
    accepted = client.post(invitation_url(invitation))
    assert accepted.status_code == 400 and not DossierMember.objects.filter(user=colleague).exists()


def test_asking_for_a_new_link_notifies_the_holder_once(client):
    dossier = DossierFactory(complete=True)
    invitation = _invitation(dossier, "sans.compte@ville.fr", age=timedelta(days=20))
    for _attempt in range(2):
        response = client.post(invitation_url(invitation), {"ask_new_link": "1"})  # the link is the capability
    assert "a été transmise au titulaire" in response.content.decode()
    sent = OutboxMessage.objects.filter(kind=EmailKind.INVITATION_RENEWAL)
    assert [m.recipient for m in sent] == [dossier.owner.email]


def test_a_used_link_says_it_works_once_and_points_its_member_to_the_dossier(client):
    dossier = DossierFactory(complete=True)
    colleague = UserFactory(email="collegue@ville.fr")
    invitation = _invitation(dossier, colleague.email, age=timedelta(days=1))
    member = as_user(client, colleague)
    assert member.post(invitation_url(invitation)).status_code == 302
    again = member.get(invitation_url(invitation))
    assert again.status_code == 410 and "ne sert qu’une fois" in again.content.decode()
    assert reverse("applications:dossier", kwargs={"pk": dossier.pk}) in again.content.decode()


def test_a_revoked_link_says_it_was_cancelled(client):
    dossier = DossierFactory(complete=True)
    invitation = _invitation(dossier, "collegue@ville.fr", age=timedelta(days=1))
    DossierInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert "a été annulée" in client.get(invitation_url(invitation)).content.decode()


def test_team_page_marks_an_expired_invitation(client):
    dossier = DossierFactory(complete=True)
    _invitation(dossier, "collegue@ville.fr", age=timedelta(days=30))
    text = as_user(client, dossier.owner).get(reverse("applications:team", kwargs={"pk": dossier.pk})).content.decode()
    assert "expirée" in text


def test_a_link_thirteen_days_old_still_leads_to_acceptance(client):
    dossier = DossierFactory(complete=True)
    colleague = UserFactory(email="collegue@ville.fr")
    invitation = _invitation(dossier, colleague.email, age=timedelta(days=13))
    assert as_user(client, colleague).get(invitation_url(invitation)).status_code == 200
