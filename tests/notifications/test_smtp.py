"""Integration: a submission's receipt goes through a real SMTP server on loopback, PDF attached, in French."""

import io
import smtplib

import pytest
from pypdf import PdfReader

from applications.domain.submission import submit_dossier
from notifications.models import OutboxMessage, OutboxStatus
from notifications.sending import send_outbox_message
from tests.applications.submission_support import add_co_editor
from tests.factories import DossierFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def smtp_backend(settings, smtp_sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    smtp_sink.clear()
    return smtp_sink


def test_receipt_reaches_the_smtp_server_with_subject_french_text_link_and_pdf(
    smtp_backend, django_capture_on_commit_callbacks
):
    dossier = DossierFactory(complete=True, title="Campus connecté")
    helper = add_co_editor(dossier)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_dossier(dossier, by=dossier.owner)
    received = smtp_backend.wait_for(2, timeout=10)
    assert sorted(m["To"] for m in received) == sorted([dossier.owner.email, helper.email])
    message = next(m for m in received if m["To"] == dossier.owner.email)
    subject = message["Subject"].strip()  # a long encoded subject is folded onto a continuation line
    assert subject == f"Accusé de réception : dossier {dossier.reference} déposé dans la vague {dossier.wave.number}"
    assert message["From"] and message["Message-ID"].endswith("@cnam.example>")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour," in text and dossier.reference in text
    assert f"/dossiers/{dossier.pk}/" in text and f"{submission.pk}" in text  # the receipt link
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<a href=" in html
    [pdf] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"accuse-de-reception-{dossier.reference}.pdf"
    pages = PdfReader(io.BytesIO(pdf.get_content())).pages
    assert dossier.reference in "".join(page.extract_text() for page in pages)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


# --- temporary and final SMTP answers -----------------------------------------------------------------------------


def status_of(message):
    message.refresh_from_db()
    return message.status


def queue_verification(address="maire@ville.fr"):
    from django.db import transaction

    from notifications.models import EmailKind
    from notifications.services import queue_email

    with transaction.atomic():
        return queue_email(
            kind=EmailKind.VERIFY_EMAIL,
            key="verify:smtp",
            recipient=address,
            context={"verify_url": "https://ami.example/verify/abc"},
        )


def test_451_at_mail_from_then_at_rcpt_to_is_retried_and_the_message_arrives_once(smtp_backend):
    smtp_backend.answer("MAIL", "451 4.3.0 Mailbox busy, try again later")
    smtp_backend.answer("RCPT", "451 4.7.1 Greylisted, try again later")
    message = queue_verification()

    # Each call is what the worker does at each attempt (Celery's retry after the back-off, or the sweep).
    with pytest.raises(smtplib.SMTPSenderRefused):
        send_outbox_message(message_id=message.pk)
    assert status_of(message) == OutboxStatus.READY
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_outbox_message(message_id=message.pk)
    assert status_of(message) == OutboxStatus.READY
    assert send_outbox_message(message_id=message.pk) is True

    [received] = smtp_backend.wait_for(1, timeout=10)
    assert received["To"] == "maire@ville.fr"
    assert smtp_backend.answered("MAIL") == ["451 4.3.0 Mailbox busy, try again later"]
    assert smtp_backend.answered("RCPT") == ["451 4.7.1 Greylisted, try again later"]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, "")
    assert send_outbox_message(message_id=message.pk) is False  # a late duplicate task sends nothing
    assert len(smtp_backend.messages()) == 1


def test_451_at_data_is_retried_and_the_message_arrives_once(smtp_backend):
    smtp_backend.answer("DATA", "451 4.3.0 Local error in processing")
    message = queue_verification()

    with pytest.raises(smtplib.SMTPDataError):
        send_outbox_message(message_id=message.pk)
    assert send_outbox_message(message_id=message.pk) is True

    smtp_backend.wait_for(1, timeout=10)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(smtp_backend.messages()) == 1


def test_a_temporary_refusal_leaves_the_row_ready_with_its_error_and_a_later_attempt_time(smtp_backend):
    smtp_backend.answer("RCPT", "452 4.2.2 Mailbox full, try again later")
    message = queue_verification()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_outbox_message(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxStatus.READY
    assert "452" in message.last_error and message.next_attempt_at is not None
    assert smtp_backend.messages() == []


@pytest.mark.parametrize("command", ["MAIL", "RCPT", "DATA"])
def test_550_is_final_at_once_and_nothing_is_sent(smtp_backend, django_capture_on_commit_callbacks, command):
    smtp_backend.answer(command, "550 5.1.1 No such user here")
    with django_capture_on_commit_callbacks(execute=True):  # the Celery task, eagerly: no retry is scheduled
        message = queue_verification()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in message.last_error
    assert smtp_backend.answered(command) == ["550 5.1.1 No such user here"]
    assert smtp_backend.messages() == []
