"""The dossier's message thread: staff ask, officials answer with a checked document, each side is e-mailed once;
nobody outside the thread reads or writes it."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from applications.domain import messaging
from applications.models import DossierMessage
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from tests.factories import DossierFactory, RegionFactory, UserFactory, reviewer

from .submission_files import elf_bytes, pdf_bytes, upload
from .submission_support import add_co_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    dossier = DossierFactory(status=DossierStatus.SUBMITTED)
    return dossier, reviewer(dossier.region, first_name="Paul", last_name="Girard")


def _mails(kind=EmailKind.DOSSIER_MESSAGE):
    return list(OutboxMessage.objects.filter(kind=kind).order_by("recipient"))


def test_staff_question_is_mailed_to_the_owner_and_co_editors_once(submitted):
    dossier, staff = submitted
    colleague = add_co_editor(dossier)
    message = messaging.post_message(
        dossier=dossier, by=staff, body="Merci d'envoyer la délibération.", requests_document=True
    )
    assert message.from_staff and message.requests_document
    assert {m.recipient for m in _mails()} == {dossier.owner.email, colleague.email}


def test_officials_answer_with_a_checked_document_is_mailed_to_the_staff_of_the_thread(submitted):
    dossier, staff = submitted
    messaging.post_message(dossier=dossier, by=staff, body="Merci d'envoyer la délibération.")
    answer = messaging.post_message(
        dossier=dossier, by=dossier.owner, body="La voici.", upload=upload(pdf_bytes(), "délibération.pdf")
    )
    assert not answer.from_staff and answer.file.content_type == "application/pdf"
    assert [m.recipient for m in _mails() if m.event_key == f"dossier-message:{answer.pk}"] == [staff.email]


def test_first_message_from_officials_goes_to_the_coordinators(submitted):
    dossier, _staff = submitted
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR)[0])
    messaging.post_message(dossier=dossier, by=dossier.owner, body="Une question sur le calendrier.")
    assert [m.recipient for m in _mails()] == [coordinator.email]


def test_an_executable_is_refused_and_no_message_is_left(submitted):
    dossier, _staff = submitted
    with pytest.raises(ValidationError):
        messaging.post_message(dossier=dossier, by=dossier.owner, body="Voici", upload=upload(elf_bytes(), "a.pdf"))
    assert not DossierMessage.objects.exists()


def test_an_empty_message_is_refused(submitted):
    dossier, staff = submitted
    with pytest.raises(ValidationError):
        messaging.post_message(dossier=dossier, by=staff, body="   ")


def test_outsiders_cannot_write(submitted):
    dossier, _staff = submitted
    for outsider in (UserFactory(), reviewer(RegionFactory())):
        with pytest.raises(PermissionDenied):
            messaging.post_message(dossier=dossier, by=outsider, body="Bonjour")


def test_only_staff_request_documents(submitted):
    dossier, _staff = submitted
    message = messaging.post_message(dossier=dossier, by=dossier.owner, body="Bonjour", requests_document=True)
    assert not message.requests_document


# --- through the URLs ------------------------------------------------------------------------------------------


def test_thread_page_shows_both_sides_and_the_document_link(client, submitted):
    dossier, staff = submitted
    messaging.post_message(dossier=dossier, by=staff, body="Merci d'envoyer la délibération.", requests_document=True)
    answer = messaging.post_message(
        dossier=dossier, by=dossier.owner, body="La voici.", upload=upload(pdf_bytes(), "deliberation.pdf")
    )
    client.force_login(dossier.owner)
    page = client.get(reverse("applications:messages", kwargs={"pk": dossier.pk})).text
    assert "Merci d&#x27;envoyer la délibération." in page and "document demandé" in page and "La voici." in page
    url = reverse("applications:message_file", kwargs={"pk": dossier.pk, "file_pk": answer.file.pk})
    assert url in page
    response = client.get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_refused_message_keeps_what_was_typed(client, submitted):
    dossier, _staff = submitted
    client.force_login(dossier.owner)
    response = client.post(
        reverse("applications:messages", kwargs={"pk": dossier.pk}),
        {"body": "Mon texte important", "document": upload(elf_bytes(), "x.pdf")},
    )
    assert response.status_code == 400
    assert "Mon texte important" in response.text and "programme" in response.text


def test_strangers_and_other_regions_get_404(client, submitted):
    dossier, _staff = submitted
    for outsider in (UserFactory(), reviewer(RegionFactory())):
        client.force_login(outsider)
        assert client.get(reverse("applications:messages", kwargs={"pk": dossier.pk})).status_code == 404


def test_posting_through_the_page_sends_the_message(client, submitted):
    dossier, staff = submitted
    client.force_login(staff)
    response = client.post(
        reverse("applications:messages", kwargs={"pk": dossier.pk}),
        {"body": "Pouvez-vous préciser le budget ?", "requests_document": "on"},
    )
    assert response.status_code == 302
    message = DossierMessage.objects.get()
    assert message.from_staff and message.requests_document and message.author == staff
