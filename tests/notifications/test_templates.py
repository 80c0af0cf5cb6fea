"""Every e-mail kind renders in French and in English, with the context its sender passes."""

import pytest
from django.utils import timezone

from notifications.models import EmailKind
from notifications.services import render_email

NOW = timezone.now()
CONTEXTS = {
    EmailKind.VERIFY_EMAIL: {"verify_url": "https://ami.example/verify/abc"},
    EmailKind.PASSWORD_RESET: {"reset_url": "https://ami.example/reset/abc"},
    EmailKind.INVITATION: {
        "join_request": False,
        "dossier_reference": "AMI-1",
        "applicant_name": "L'Isle-sur-Sorgue",
        "campaign_name": "AMI 2",
        "inviter_name": "Jeanne",
        "has_account": True,
        "accept_url": "https://ami.example/i/t",
    },
    EmailKind.RECEIPT: {
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "title": "T",
        "campaign": "AMI 2",
        "wave_number": 1,
        "wave_closes_at": NOW,
        "wave_last_day": NOW.date(),
        "submitted_at": NOW,
        "submitted_by": "Jeanne",
        "fingerprint": "ab" * 32,
        "attachments": [],
        "receipt_url": "https://ami.example/r/1",
    },
    EmailKind.REOPENED: {
        "reference": "AMI-1",
        "applicant": "Ville",
        "title": "T",
        "message": "Corrigez",
        "wave_number": 1,
        "last_day": NOW.date(),
        "submit_url": "https://ami.example/s/1",
    },
    EmailKind.WITHDRAWN: {
        "reference": "AMI-1",
        "applicant": "Ville",
        "reason": "Erreur",
        "dossier_url": "https://x/d/1",
    },
    EmailKind.DECISION: {
        "reference": "AMI-1",
        "applicant": "Ville",
        "campaign": "AMI 2",
        "wave_number": 1,
        "is_laureate": True,
        "dossier_url": "https://ami.example/d/1",
    },
    EmailKind.REMINDER: {
        "reference": "AMI-1",
        "applicant": "Ville",
        "campaign": "AMI 2",
        "wave_number": 1,
        "threshold": "3d",
        "closes_at": NOW,
        "last_day": NOW.date(),
        "dossier_url": "https://ami.example/d/1",
    },
    EmailKind.WAVE_CLOSED_DRAFT: {
        "reference": "AMI-1",
        "applicant": "Ville",
        "campaign": "AMI 2",
        "wave_number": 1,
        "next_wave_number": 2,
        "next_wave_last_day": NOW.date(),
        "dossier_url": "https://ami.example/d/1",
    },
    EmailKind.WAVE_SUMMARY: {
        "campaign": "AMI 2",
        "wave_number": 1,
        "closes_at": NOW,
        "total": 2,
        "drafts_moved": 1,
        "without_programme": 0,
        "rows": [{"region": "Bretagne", "total": 2, "acv": 1, "ti": 1}],
        "programmes": [{"code": "acv", "label": "Action Cœur de Ville", "count": 1}],
        "admin_url": "https://x/admin/",
    },
    EmailKind.REVIEWER_ASSIGNMENT: {
        "campaign": "AMI 2",
        "wave_number": 1,
        "dossiers": [{"reference": "AMI-1", "applicant": "Ville", "url": "https://ami.example/reviews/1"}],
    },
    EmailKind.EXPORT_READY: {"export_name": "Lauréats", "download_url": "https://ami.example/exports/1"},
    EmailKind.MANDATE_VERIFIED: {
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "campaign": "AMI 2",
        "dossier_url": "https://ami.example/d/1",
        "submit_url": "https://ami.example/d/1/submit",
    },
    EmailKind.HOLDER_CHANGE: {
        "event": "transferred_team",
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "campaign": "AMI 2",
        "dossier_url": "https://ami.example/d/1",
        "reason": "Mandat du maire",
        "new_holder": "Jeanne Martin",
    },
    EmailKind.JOIN_ANSWER: {
        "accepted": False,
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "campaign": "AMI 2",
        "dossier_url": "https://ami.example/d/1",
        "reason": "Inconnu",
    },
    EmailKind.INVITATION_RENEWAL: {
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "campaign": "AMI 2",
        "dossier_url": "https://ami.example/d/1",
        "invitee_email": "collegue@ville.fr",
        "team_url": "https://ami.example/d/1/team",
    },
    EmailKind.DOSSIER_MESSAGE: {
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "from_staff": True,
        "requests_document": True,
        "body": "Merci d'envoyer la délibération signée.",
        "thread_url": "https://ami.example/d/1/messages",
    },
    EmailKind.REVIEW_REMINDER: {
        "campaign": "AMI 2",
        "wave_number": 1,
        "due_at": NOW,
        "threshold": "3d",
        "unfinished": 2,
        "dossiers": [
            {"reference": "AMI-1", "applicant": "L'Isle-sur-Sorgue"},
            {"reference": "AMI-2", "applicant": "Gap"},
        ],
        "queue_url": "https://ami.example/admin/applications/dossier/my-reviews/",
    },
    EmailKind.ANTENNA_REPORT_REMINDER: {
        "applicant": "L'Isle-sur-Sorgue",
        "year": 2025,
        "campaign": "AMI 1",
        "report_url": "https://ami.example/reseau/1",
    },
    EmailKind.REVIEW_DISCUSSION: {
        "reference": "AMI-1",
        "applicant": "L'Isle-sur-Sorgue",
        "author": "Claire Martin",
        "discussion_url": "https://ami.example/admin/applications/dossier/1/change/#discussion",
    },
}


def test_every_kind_has_a_context_in_this_test():
    assert set(CONTEXTS) == set(EmailKind)


@pytest.mark.parametrize("kind", list(EmailKind))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_kind_renders_a_subject_a_text_and_an_html_body(kind, language):
    subject, text, html = render_email(kind, CONTEXTS[kind], language)
    assert subject and "\n" not in subject
    assert text.strip() and "<p>" not in text
    assert "<" in html


def test_subject_is_plain_text_without_html_escaping():
    subject, _, _ = render_email(EmailKind.INVITATION, CONTEXTS[EmailKind.INVITATION], "fr")
    assert "&#x27;" not in subject


@pytest.mark.parametrize(
    ("kind", "french", "english"),
    [
        (EmailKind.DECISION, "lauréat", "laureate"),
        (EmailKind.REMINDER, "n’a pas encore été déposé", "has not been submitted yet"),
        (EmailKind.WAVE_CLOSED_DRAFT, "vague 2", "wave 2"),
        (EmailKind.WAVE_SUMMARY, "Bretagne", "Per région"),
        (EmailKind.REVIEWER_ASSIGNMENT, "vous ont été confiés", "assigned to you"),
        (EmailKind.ANTENNA_REPORT_REMINDER, "entrées en formation", "has not reported its figures"),
        (EmailKind.REVIEW_DISCUSSION, "a écrit dans la discussion interne", "wrote in the staff discussion"),
    ],
)
def test_french_by_default_and_english_for_who_prefers_it(kind, french, english):
    assert french in render_email(kind, CONTEXTS[kind], "fr")[1]
    assert english in render_email(kind, CONTEXTS[kind], "en")[1]


@pytest.mark.parametrize(
    ("kind", "url_key"),
    [
        (EmailKind.VERIFY_EMAIL, "verify_url"),
        (EmailKind.PASSWORD_RESET, "reset_url"),
        (EmailKind.INVITATION, "accept_url"),
        (EmailKind.RECEIPT, "receipt_url"),
        (EmailKind.REOPENED, "submit_url"),
        (EmailKind.DECISION, "dossier_url"),
        (EmailKind.REMINDER, "dossier_url"),
        (EmailKind.WAVE_CLOSED_DRAFT, "dossier_url"),
        (EmailKind.WAVE_SUMMARY, "admin_url"),
        (EmailKind.EXPORT_READY, "download_url"),
        (EmailKind.REVIEW_DISCUSSION, "discussion_url"),
    ],
)
def test_the_link_of_each_kind_is_in_both_bodies(kind, url_key):
    _, text, html = render_email(kind, CONTEXTS[kind], "fr")
    assert CONTEXTS[kind][url_key] in text and f'href="{CONTEXTS[kind][url_key]}"' in html


@pytest.mark.parametrize(
    ("kind", "french", "english"),
    [
        (
            EmailKind.REVIEWER_ASSIGNMENT,
            "Ville : https://ami.example/reviews/1",
            "Ville: https://ami.example/reviews/1",
        ),
        (EmailKind.WAVE_SUMMARY, "Dossiers déposés : 2", "Dossiers submitted: 2"),
        (EmailKind.WAVE_SUMMARY, "Bretagne : 2 / 1 / 1", "Bretagne: 2 / 1 / 1"),
        (EmailKind.WITHDRAWN, "Motif indiqué : Erreur", "Reason given: Erreur"),
    ],
)
def test_label_and_value_are_spaced_the_french_way_in_french_only(kind, french, english):
    assert french in render_email(kind, CONTEXTS[kind], "fr")[1]
    assert english in render_email(kind, CONTEXTS[kind], "en")[1]


def test_html_summary_spaces_label_and_value_the_french_way():
    html = render_email(EmailKind.WAVE_SUMMARY, CONTEXTS[EmailKind.WAVE_SUMMARY], "fr")[2]
    assert "Dossiers déposés : 2" in html and "Action Cœur de Ville : 1" in html
