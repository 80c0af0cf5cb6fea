"""Attachments are accepted by content, stored under a generated name, and refused with a French message."""

import hashlib
import re

import pytest
from django.utils import translation

from applications.domain.attachments import AttachmentRejected, add_attachment, delete_attachment
from applications.models import Attachment, AttachmentKind
from applications.states import DossierStatus
from tests.factories import DossierFactory, UserFactory

from . import submission_files as files
from .submission_support import add_co_editor, attach, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.fixture
def dossier():
    return DossierFactory()


def upload_as(dossier, kind, content, name="document.pdf"):
    return add_attachment(dossier=dossier, kind=kind, upload=files.upload(content, name), by=dossier.owner)


@pytest.mark.parametrize(
    ("kind", "maker", "name", "mime", "extension"),
    [
        (AttachmentKind.COMMITMENT_LETTER, files.pdf_bytes, "lettre.pdf", "application/pdf", ".pdf"),
        (
            AttachmentKind.BUDGET_TABLE,
            files.xlsx_bytes,
            "budget.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        (
            AttachmentKind.BUDGET_TABLE,
            files.ods_bytes,
            "budget.ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            ".ods",
        ),
        (AttachmentKind.BUDGET_TABLE, files.pdf_bytes, "budget.pdf", "application/pdf", ".pdf"),
        (AttachmentKind.PREMISES_PLAN, files.png_bytes, "plan.png", "image/png", ".png"),
    ],
)
def test_accepted_document_is_stored_with_its_detected_type(dossier, kind, maker, name, mime, extension):
    attachment = upload_as(dossier, kind, maker(), name)

    assert (attachment.content_type, attachment.extension) == (mime, extension)


def test_stored_name_is_generated_never_the_users(dossier):
    attachment = upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, files.pdf_bytes(), "Lettre du maire.pdf")

    assert re.fullmatch(rf"dossiers/{dossier.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert attachment.original_name == "Lettre du maire.pdf"


def test_type_is_decided_by_content_not_by_extension(dossier):
    attachment = upload_as(dossier, AttachmentKind.BUDGET_TABLE, files.xlsx_bytes(), "budget.pdf")

    assert attachment.extension == ".xlsx"


def test_checksum_and_size_are_those_of_the_bytes(dossier):
    content = files.pdf_bytes()

    attachment = upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, content)

    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)


REJECTIONS = [
    pytest.param(files.elf_bytes(), "lettre.pdf", "programme ou un script", id="renamed-elf-executable"),
    pytest.param(files.windows_exe_bytes(), "lettre.pdf", "programme ou un script", id="renamed-windows-exe"),
    pytest.param(files.shell_script_bytes(), "lettre.pdf", "programme ou un script", id="renamed-shell-script"),
    pytest.param(b"", "lettre.pdf", "est vide", id="empty"),
    pytest.param(files.corrupted_pdf(), "lettre.pdf", "endommagé", id="corrupted-pdf"),
    pytest.param(files.pdf_bytes(), "..\\..\\Windows\\lettre.pdf", "chemin", id="path-traversal-windows"),
    pytest.param(files.pdf_bytes(), "lettre\x00.pdf", "caractères interdits", id="control-character-in-name"),
    pytest.param(files.polyglot_pdf_zip(), "lettre.pdf", "plusieurs formats", id="polyglot-pdf-zip"),
    pytest.param(files.polyglot_pdf_html(), "lettre.pdf", "plusieurs formats", id="polyglot-pdf-html"),
    pytest.param(files.pdf_with_javascript(), "lettre.pdf", "contenu actif", id="pdf-javascript-openaction"),
    pytest.param(files.pdf_with_launch_action(), "lettre.pdf", "contenu actif", id="pdf-launch-action"),
    pytest.param(files.pdf_with_embedded_file(), "lettre.pdf", "contenu actif", id="pdf-embedded-file"),
    pytest.param(files.xlsx_bytes(), "lettre.pdf", "accepte", id="spreadsheet-as-signed-letter"),
]


@pytest.mark.parametrize(("content", "name", "expected"), REJECTIONS)
def test_refused_upload_gives_french_message_and_leaves_nothing(dossier, content, name, expected):
    before = stored_files()

    with pytest.raises(AttachmentRejected) as refusal:
        upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, content, name)

    assert expected in refusal.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files() == before


class RawName:
    """An upload whose name bypasses Django's own clean-up, as a direct caller (an import) could pass it."""

    def __init__(self, content: bytes, name: str):
        self._file = files.upload(content)
        self.name, self.size = name, len(content)

    def __getattr__(self, attribute):
        return getattr(self._file, attribute)


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a" * 300 + ".pdf"], ids=["path-traversal", "very-long"])
def test_raw_path_or_very_long_name_is_refused_and_leaves_nothing(dossier, name):
    before = stored_files()

    with pytest.raises(AttachmentRejected) as refusal:
        add_attachment(
            dossier=dossier,
            kind=AttachmentKind.COMMITMENT_LETTER,
            upload=RawName(files.pdf_bytes(), name),
            by=dossier.owner,
        )

    assert "nom du fichier" in refusal.value.messages[0].lower()
    assert stored_files() == before


def test_very_long_name_from_a_browser_is_shortened_for_display_only(dossier):
    attachment = upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, files.pdf_bytes(), "é" * 400 + ".pdf")

    assert len(attachment.original_name) <= 120
    assert attachment.original_name.endswith(".pdf")
    assert len(attachment.file.name) < 60


def test_zip_bomb_in_a_budget_table_is_refused_and_leaves_nothing(dossier):
    before = stored_files()

    with pytest.raises(AttachmentRejected) as refusal:
        upload_as(dossier, AttachmentKind.BUDGET_TABLE, files.xlsx_zip_bomb(), "budget.xlsx")

    assert "taille anormale" in refusal.value.messages[0]
    assert stored_files() == before


def test_office_file_over_the_uncompressed_limit_is_refused(dossier, settings):
    settings.ATTACHMENT_MAX_UNCOMPRESSED_SIZE = 1000

    with pytest.raises(AttachmentRejected, match="taille anormale"):
        upload_as(dossier, AttachmentKind.BUDGET_TABLE, files.xlsx_bytes(), "budget.xlsx")


def test_file_over_the_size_limit_is_refused_and_leaves_nothing(dossier, settings):
    settings.ATTACHMENT_MAX_FILE_SIZE = 1000
    before = stored_files()

    with pytest.raises(AttachmentRejected) as refusal:
        upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, files.pdf_bytes() + b"\n%" + b"x" * 1000)

    assert "trop volumineux" in refusal.value.messages[0]
    assert stored_files() == before


def test_dossier_total_over_the_limit_is_refused(dossier, settings):
    content = files.pdf_bytes()
    settings.ATTACHMENT_MAX_DOSSIER_SIZE = len(content) * 2
    upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, content)
    upload_as(dossier, AttachmentKind.COUNCIL_DELIBERATION, content)

    with pytest.raises(AttachmentRejected, match="ne peuvent pas dépasser"):
        upload_as(dossier, AttachmentKind.PARTNER_LETTER, content)
    assert dossier.attachments.count() == 2


def test_upload_refused_once_the_dossier_is_submitted(dossier):
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()

    with pytest.raises(AttachmentRejected, match="ne peut plus être modifié"):
        upload_as(dossier, AttachmentKind.COMMITMENT_LETTER, files.pdf_bytes())


def test_upload_refused_to_someone_who_is_not_an_editor(dossier):
    with pytest.raises(AttachmentRejected, match="éditeur"):
        add_attachment(
            dossier=dossier,
            kind=AttachmentKind.COMMITMENT_LETTER,
            upload=files.upload(files.pdf_bytes()),
            by=UserFactory(),
        )


def test_co_editor_may_upload(dossier):
    co_editor = add_co_editor(dossier)

    attachment = add_attachment(
        dossier=dossier, kind=AttachmentKind.OTHER, upload=files.upload(files.pdf_bytes()), by=co_editor
    )

    assert attachment.uploaded_by == co_editor


def test_deleting_removes_the_row_and_the_file(dossier, django_capture_on_commit_callbacks):
    attachment = attach(dossier, AttachmentKind.COMMITMENT_LETTER)
    path = attachment.file.path

    with django_capture_on_commit_callbacks(execute=True):
        delete_attachment(attachment=attachment, by=dossier.owner)

    assert not Attachment.objects.exists()
    assert not __import__("os").path.exists(path)


def test_delete_refused_once_the_dossier_is_submitted(dossier):
    attachment = attach(dossier, AttachmentKind.COMMITMENT_LETTER)
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()

    with pytest.raises(AttachmentRejected):
        delete_attachment(attachment=attachment, by=dossier.owner)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_deleting_an_attachment_asks_for_confirmation_naming_the_file(client):
    from django.urls import reverse

    from applications.models import Attachment

    dossier = DossierFactory()
    attachment = add_attachment(
        dossier=dossier,
        kind=AttachmentKind.COMMITMENT_LETTER,
        upload=files.upload(files.pdf_bytes(), "lettre.pdf"),
        by=dossier.owner,
    )
    client.force_login(dossier.owner)
    url = reverse("applications:attachment_delete", kwargs={"pk": dossier.pk, "attachment_pk": attachment.pk})
    page = client.get(url).text
    assert "Supprimer « lettre.pdf » ?" in page and "Oui, le supprimer" in page
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    client.post(url)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachments_page_shows_no_template_comment_once_a_file_is_added(client):
    from django.urls import reverse

    dossier = DossierFactory()
    add_attachment(
        dossier=dossier,
        kind=AttachmentKind.COMMITMENT_LETTER,
        upload=files.upload(files.pdf_bytes(), "lettre.pdf"),
        by=dossier.owner,
    )
    client.force_login(dossier.owner)
    page = client.get(reverse("applications:attachments", kwargs={"pk": dossier.pk})).text
    assert "lettre.pdf" in page
    assert "{#" not in page and "position-relative:" not in page
