"""A download is named after the user's file, cleaned, with the extension of the type detected from its bytes,
and sent with RFC 6266 ``filename*`` when the name is not plain ASCII."""

import pytest
from django.urls import reverse

from applications.domain.attachments import download_name
from applications.models import AttachmentKind
from tests.factories import DossierFactory

from . import submission_files as files
from .submission_support import attach

pytestmark = pytest.mark.django_db

RLO, LRO, RLI, PDI, LRM, ZWSP = "\u202e", "\u202d", "\u2067", "\u2069", "\u200e", "\u200b"


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("rapport.html", ".pdf", "rapport.pdf"),
        ("rapport.PDF", ".pdf", "rapport.pdf"),
        ("photo.jpeg", ".jpg", "photo.jpg"),
        ("budget", ".xlsx", "budget.xlsx"),
        (f"facture{RLO}fdp.exe", ".pdf", "facturefdp.pdf"),
        (f"a{LRO}b{RLI}c{PDI}d{LRM}e{ZWSP}f.pdf", ".pdf", "abcdef.pdf"),
        ("ligne\r\nContent-Type: text\x00\x85.pdf", ".pdf", "ligneContent-Type_ text.pdf"),
        ('rapport"; filename="evil.html', ".pdf", "rapport_; filename=_evil.pdf"),
        ("C:\\Users\\maire\\lettre.pdf", ".pdf", "lettre.pdf"),
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ("l'hôtel de ville.pdf", ".pdf", "l’hôtel de ville.pdf"),
        ("...", ".pdf", "document.pdf"),
        (f"{RLO}.html", ".pdf", "html.pdf"),
    ],
)
def test_download_name_is_cleaned_and_takes_the_detected_extension(original, extension, expected):
    assert download_name(original_name=original, extension=extension) == expected


def _download(client, attachment):
    client.force_login(attachment.dossier.owner)
    return client.get(
        reverse(
            "applications:attachment_download", kwargs={"pk": attachment.dossier_id, "attachment_pk": attachment.pk}
        )
    )


def test_pdf_uploaded_as_html_downloads_as_pdf(client):
    attachment = attach(DossierFactory(), AttachmentKind.OTHER, name="rapport.html", content=files.pdf_bytes())

    response = _download(client, attachment)

    assert response["Content-Disposition"] == 'attachment; filename="rapport.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_non_ascii_name_is_sent_as_rfc_6266_filename_star(client):
    attachment = attach(
        DossierFactory(), AttachmentKind.OTHER, name=f"Délibération{RLO}lmth.pdf", content=files.pdf_bytes()
    )

    response = _download(client, attachment)

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''D%C3%A9lib%C3%A9rationlmth.pdf"


def test_display_name_loses_bidi_overrides(client):
    attachment = attach(DossierFactory(), AttachmentKind.OTHER, name=f"facture{RLO}fdp.pdf", content=files.pdf_bytes())

    assert attachment.original_name == "facturefdp.pdf"


def test_a_name_stored_with_a_bidi_override_is_shown_without_it(client):
    attachment = attach(DossierFactory(), AttachmentKind.OTHER, name="facture.pdf", content=files.pdf_bytes())
    type(attachment).objects.filter(pk=attachment.pk).update(original_name=f"facture{RLO}fdp.exe")
    client.force_login(attachment.dossier.owner)

    page = client.get(reverse("applications:attachments", kwargs={"pk": attachment.dossier_id}))

    assert RLO not in page.content.decode() and "facturefdp.exe" in page.content.decode()
