"""The staff discussion of a dossier (reviews/discussion.py): who reads and posts, append-only messages, one
e-mail per message and participant, never shown to the applicants."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from reviews import discussion, services
from reviews.models import Assignment, DiscussionMessage

pytestmark = pytest.mark.django_db

TEXT = "Le budget des locaux me semble sous-estimé : qu'en pensez-vous ?"


def _page(world, login, user, dossier=None):
    dossier = dossier or world.dossier_bfc
    return login(world.users[user]).get(reverse("admin:applications_dossier_change", args=[dossier.pk]))


def _post(world, login, user, text=TEXT, dossier=None):
    dossier = dossier or world.dossier_bfc
    url = reverse("admin:applications_dossier_discussion", args=[dossier.pk])
    return login(world.users[user]).post(url, {"text": text})


def _assign(world, *names):
    from django.utils import timezone

    for name in names:
        Assignment.objects.create(dossier=world.dossier_bfc, reviewer=world.users[name], assigned_at=timezone.now())


def _discussion_mails():
    return OutboxMessage.objects.filter(kind=EmailKind.REVIEW_DISCUSSION).order_by("recipient")


# --- who reads and posts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reviewer_bfc", "coordinator", "committee"])
def test_regions_reviewers_coordinators_and_committee_post_and_read_the_discussion(world, login, role):
    response = _post(world, login, role)

    assert response.status_code == 302 and response.url.endswith("#discussion")
    message = DiscussionMessage.objects.get()
    assert (message.author, message.text, message.dossier) == (world.users[role], TEXT, world.dossier_bfc)
    body = _page(world, login, role).content.decode()
    assert 'id="discussion"' in body and "sous-estimé" in body


def test_reviewer_of_another_region_can_neither_read_nor_post(world, login):
    DiscussionMessage.objects.create(
        dossier=world.dossier_bfc, author=world.users["coordinator"], text=TEXT, created_at=world.wave.closes_at
    )

    assert _page(world, login, "reviewer_hdf").status_code == 404
    assert _post(world, login, "reviewer_hdf", text="Je m'invite").status_code == 404
    assert list(DiscussionMessage.objects.values_list("text", flat=True)) == [TEXT]
    assert list(discussion.thread(user=world.users["reviewer_hdf"], dossier=world.dossier_bfc)) == []


def test_reviewer_who_declared_a_conflict_can_neither_read_nor_post(world, login):
    services.declare_conflict(
        dossier=world.dossier_bfc, reviewer=world.users["reviewer_bfc"], reason="Mon épouse y est élue."
    )

    assert _post(world, login, "reviewer_bfc").status_code == 404
    assert not DiscussionMessage.objects.exists()
    with pytest.raises(PermissionDenied):
        discussion.post_message(dossier=world.dossier_bfc, author=world.users["reviewer_bfc"], text=TEXT)


@pytest.mark.parametrize("role", ["administrator", "press"])
def test_staff_outside_the_review_cannot_post(world, login, role):
    response = _post(world, login, role)

    assert response.status_code == 403 and not DiscussionMessage.objects.exists()
    assert not discussion.may_discuss(user=world.users[role], dossier=world.dossier_bfc)


def test_reading_the_discussion_page_with_get_is_refused(world, login):
    url = reverse("admin:applications_dossier_discussion", args=[world.dossier_bfc.pk])

    assert login(world.users["coordinator"]).get(url).status_code == 405


def test_applicants_never_see_the_discussion(world, login):
    world.dossier_bfc.owner = world.users["official"]
    world.dossier_bfc.save()
    discussion.post_message(dossier=world.dossier_bfc, author=world.users["coordinator"], text=TEXT)
    client = login(world.users["official"])

    for name in ("applications:dossier", "applications:messages"):
        response = client.get(reverse(name, args=[world.dossier_bfc.pk]))
        assert response.status_code == 200 and "sous-estimé" not in response.content.decode()
    assert not discussion.may_discuss(user=world.users["official"], dossier=world.dossier_bfc)


def test_an_empty_message_is_refused_in_french_and_nothing_is_saved(world, login):
    response = _post(world, login, "coordinator", text="   ")

    assert not DiscussionMessage.objects.exists()
    page = login(world.users["coordinator"]).get(response.url)
    assert "Le message est vide ou trop long" in page.content.decode()


def test_messages_are_append_only(world):
    message = discussion.post_message(dossier=world.dossier_bfc, author=world.users["coordinator"], text=TEXT)
    message.text = "Réécrit après coup"

    with pytest.raises(ValidationError):
        message.save()
    assert DiscussionMessage.objects.get().text == TEXT


# --- notifications ---------------------------------------------------------------------------------------------


def test_each_assigned_reviewer_is_told_once_and_the_author_not_at_all(world):
    _assign(world, "reviewer_bfc", "reviewer_bfc2")

    message = discussion.post_message(dossier=world.dossier_bfc, author=world.users["reviewer_bfc"], text=TEXT)
    discussion._notify(message)  # queued again (a retry): still one row per recipient

    assert [(m.recipient, m.event_key) for m in _discussion_mails()] == [
        ("relecteur2.bfc@example.fr", f"review-discussion:{message.pk}:{world.users['reviewer_bfc2'].pk}")
    ]


def test_earlier_authors_are_told_of_each_new_message(world):
    _assign(world, "reviewer_bfc")
    discussion.post_message(dossier=world.dossier_bfc, author=world.users["committee"], text=TEXT)
    discussion.post_message(dossier=world.dossier_bfc, author=world.users["reviewer_bfc"], text="D'accord.")
    discussion.post_message(dossier=world.dossier_bfc, author=world.users["coordinator"], text="Je tranche.")

    recipients = sorted(_discussion_mails().values_list("recipient", flat=True))

    assert recipients == sorted(
        [
            "relecteur.bfc@example.fr",  # 1st message (assigned)
            "comite@example.fr",  # 2nd (author of the 1st)
            "comite@example.fr",  # 3rd
            "relecteur.bfc@example.fr",  # 3rd
        ]
    )


def test_a_reviewer_who_declared_a_conflict_is_no_longer_told(world):
    _assign(world, "reviewer_bfc", "reviewer_bfc2")
    discussion.post_message(dossier=world.dossier_bfc, author=world.users["reviewer_bfc"], text=TEXT)
    services.declare_conflict(dossier=world.dossier_bfc, reviewer=world.users["reviewer_bfc"], reason="Lien familial.")
    OutboxMessage.objects.all().delete()

    discussion.post_message(dossier=world.dossier_bfc, author=world.users["coordinator"], text="Noté.")

    assert list(_discussion_mails().values_list("recipient", flat=True)) == ["relecteur2.bfc@example.fr"]


def test_the_email_is_in_french_names_the_dossier_and_links_the_discussion_without_copying_it(world):
    _assign(world, "reviewer_bfc2")
    discussion.post_message(dossier=world.dossier_bfc, author=world.users["coordinator"], text=TEXT)

    with translation.override("fr"):
        mail = render_message(_discussion_mails().get())

    assert mail.subject == "Dossier AMI-BFC-0001 : nouveau message dans la discussion interne"
    assert "a écrit dans la discussion interne du dossier AMI-BFC-0001" in mail.body_text
    assert f"/admin/applications/dossier/{world.dossier_bfc.pk}/change/#discussion" in mail.body_text
    assert "sous-estimé" not in mail.body_text and "sous-estimé" not in mail.body_html
