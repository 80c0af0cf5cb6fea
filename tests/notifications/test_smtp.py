"""Integration: a submission's receipt goes through a real SMTP server on loopback, PDF attached, in French."""

import io

import pytest
from pypdf import PdfReader

from applications.submission import submit_dossier
from notifications.models import OutboxMessage, OutboxStatus
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
