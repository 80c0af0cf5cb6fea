"""Attachments: what the portal accepts (decided by content, never by extension) and how it stores them.

Guarantees of ``add_attachment``:
- the file is inspected before anything is written to storage: a refused upload leaves nothing on disk;
- the stored name is generated (``dossiers/<id>/<uuid><ext of the detected type>``), the user's name is kept
  only, sanitised, for display; a download is named ``download_name(...)``: that name with the extension of the
  detected type (a PDF uploaded as ``rapport.html`` downloads as ``rapport.pdf``);
- size limits per file and per dossier are checked under a row lock on the dossier;
- only editors of a draft dossier may add or delete attachments.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from applications.domain import attachment_checks as file_checks
from applications.models import Attachment, AttachmentKind, Dossier

MAX_NAME_LENGTH = 255
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime: str
    extension: str


PDF = FileType("pdf", "PDF", "application/pdf", ".pdf")
XLSX = FileType("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
ODS = FileType("ods", "OpenDocument (ODS)", "application/vnd.oasis.opendocument.spreadsheet", ".ods")
DOCX = FileType(
    "docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
ODT = FileType("odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", ".odt")
PNG = FileType("png", "PNG", "image/png", ".png")
JPEG = FileType("jpeg", "JPEG", "image/jpeg", ".jpg")

# What each kind of document may be. Letters and deliberations are signed documents: PDF only.
ACCEPTED_TYPES: dict[str, tuple[FileType, ...]] = {
    AttachmentKind.COMMITMENT_LETTER: (PDF,),
    AttachmentKind.COUNCIL_DELIBERATION: (PDF,),
    AttachmentKind.BUDGET_TABLE: (XLSX, ODS, PDF),
    AttachmentKind.PARTNER_LETTER: (PDF,),
    AttachmentKind.PREMISES_PLAN: (PDF, PNG, JPEG),
    AttachmentKind.OTHER: (PDF, XLSX, ODS, DOCX, ODT, PNG, JPEG),
}


class AttachmentRejected(ValidationError):
    """An upload the portal refuses; ``message`` is a sentence for the official."""


def accepted_types_label(kind: str) -> str:
    return ", ".join(t.label for t in ACCEPTED_TYPES.get(kind, ()))


# --- names -----------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_display_name(raw: str) -> str:
    """The user's file name, refused if it tries a path or is absurdly long, else cleaned for display only.

    Django's upload parser already keeps only the last path component of a POSIX path and cuts names to 255
    characters; this check covers what survives it (Windows paths, control characters) and direct callers.
    """
    raw = raw or ""
    if len(raw) > MAX_NAME_LENGTH:
        raise AttachmentRejected(
            _("The file name is too long (%(max)s characters at most). Rename the file and try again.")
            % {"max": MAX_NAME_LENGTH}
        )
    if "/" in raw or "\\" in raw or raw.strip() in {".", ".."} or _CONTROL.search(raw):
        raise AttachmentRejected(
            _(
                "The file name “%(name)s” is not acceptable (it contains a path or forbidden characters). "
                "Rename the file and try again."
            )
            % {"name": sanitize_display_name(raw)}
        )
    return sanitize_display_name(raw)


_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def _visible_characters(name: str) -> str:
    """``name`` without control characters (C0, C1), bidi overrides/embeddings/isolates/marks and other
    invisible format characters (Unicode categories Cc, Cf, Zl, Zp), which could disguise an extension."""
    return "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


def sanitize_display_name(raw: str) -> str:
    """A harmless version of a file name, for display (no path, no control or bidi character)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _visible_characters(name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + "…" + dot + ext[:8]) if dot and len(ext) <= 8 else name[:120]
    return name or "document"


# Characters no download name keeps: quotes, path separators and what Windows forbids in a file name
# (the ASCII apostrophe becomes the typographic one, so « l'hôtel » still reads right).
_UNSAFE_IN_FILENAME = re.compile(r'["`/\\<>:|?*]')
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def download_name(*, original_name: str, extension: str) -> str:
    """The name a download is saved under: the cleaned user's name with the extension of the *detected* type.

    ``rapport.html`` holding a PDF downloads as ``rapport.pdf``. The result has no control or bidi character,
    quote, slash or backslash; send it with ``django.utils.http.content_disposition_header`` (FileResponse does),
    which adds the RFC 6266 ``filename*`` form for non-ASCII names.
    """
    name = sanitize_display_name(original_name)
    stem = _EXTENSION.sub("", name)
    stem = _UNSAFE_IN_FILENAME.sub("_", stem.replace("'", "’")).strip(" .")[:120]
    return f"{stem or 'document'}{extension}"


# --- content -----------------------------------------------------------------------------------------------


def _stream_digest(upload, *, limit: int) -> tuple[str, int]:
    """SHA-256 and byte count read chunk by chunk; stops as soon as the size limit is passed."""
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _too_large(limit: int) -> AttachmentRejected:
    return AttachmentRejected(_("The file is too large: %(max)s at most per file.") % {"max": filesizeformat(limit)})


def detect_type(upload) -> FileType:
    """Identify the file by its bytes and check its structure; raise AttachmentRejected otherwise."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if file_checks.looks_executable(head):
        raise AttachmentRejected(_("This file is a program or a script, not a document. Only documents are accepted."))
    file_checks.refuse_polyglot(upload, head)
    guess = filetype.guess(head)
    if head.startswith(b"%PDF-"):
        file_checks.check_pdf(upload)
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return {"xlsx": XLSX, "docx": DOCX, "ods": ODS, "odt": ODT}[file_checks.check_office_zip(upload)]
    if guess is not None and guess.mime in (PNG.mime, JPEG.mime):
        file_checks.check_image(upload)
        return PNG if guess.mime == PNG.mime else JPEG
    raise AttachmentRejected(_("This file is not a document the portal recognises (PDF, office document or image)."))


# --- services ------------------------------------------------------------------------------------------------


def _check_editable(dossier: Dossier, by) -> None:
    from applications import rules as dossier_rules

    if dossier_rules.can_edit_dossier(by, dossier):
        return
    if not dossier_rules.is_dossier_editor(by, dossier):
        raise AttachmentRejected(_("You are not an editor of this dossier."))
    raise AttachmentRejected(_("This dossier has been submitted: it can no longer be modified."))


@dataclass(frozen=True)
class CheckedUpload:
    """What an accepted upload is: its cleaned name, the detected type, its size and SHA-256."""

    original_name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(upload, *, kind: str) -> CheckedUpload:
    """The one check of an uploaded document (dossier attachments, documents sent with messages): a name that
    displays safely, not empty, within ATTACHMENT_MAX_FILE_SIZE, and by its bytes a harmless document of a type
    ``kind`` accepts. Raises AttachmentRejected with a French sentence."""
    if kind not in ACCEPTED_TYPES:
        raise AttachmentRejected(_("Choose the type of document."))
    display_name = check_display_name(getattr(upload, "name", ""))
    max_file = settings.ATTACHMENT_MAX_FILE_SIZE
    if not upload.size:
        raise AttachmentRejected(_("The file “%(name)s” is empty.") % {"name": display_name})
    if upload.size > max_file:
        raise _too_large(max_file)
    sha256, size = _stream_digest(upload, limit=max_file)
    detected = detect_type(upload)
    if detected not in ACCEPTED_TYPES[kind]:
        raise AttachmentRejected(
            _("“%(name)s” is a %(type)s file; for this document the portal accepts: %(accepted)s.")
            % {"name": display_name, "type": detected.label, "accepted": accepted_types_label(kind)}
        )
    return CheckedUpload(display_name, detected.mime, detected.extension, size, sha256)


def store_file(instance, upload) -> None:
    """Save ``upload`` in ``instance.file`` under a generated name, then the row; a refused row leaves no file
    behind (files are not transactional)."""
    upload.seek(0)
    instance.file.save("upload", upload, save=False)
    try:
        instance.save()
    except Exception:
        instance.file.storage.delete(instance.file.name)
        raise


def add_attachment(*, dossier: Dossier, kind: str, upload, by) -> Attachment:
    """Validate ``upload`` by content and store it under a generated name; atomic, leaves nothing on refusal."""
    checked = check_upload(upload, kind=kind)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        _check_editable(locked, by)
        _check_dossier_quota(locked, checked.size)
        attachment = Attachment(dossier=locked, kind=kind, uploaded_by=by, **asdict(checked))
        store_file(attachment, upload)
    return attachment


def _check_dossier_quota(dossier: Dossier, size: int) -> None:
    used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    limit = settings.ATTACHMENT_MAX_DOSSIER_SIZE
    if used + size > limit:
        raise AttachmentRejected(
            _("The attachments of a dossier may not exceed %(max)s in total (already used: %(used)s).")
            % {"max": filesizeformat(limit), "used": filesizeformat(used)}
        )


def delete_attachment(*, attachment: Attachment, by) -> None:
    """Remove an attachment of a draft dossier (editors only); the file goes once the transaction commits."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=attachment.dossier_id)
        _check_editable(locked, by)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def missing_required_kinds(dossier: Dossier) -> list[str]:
    from applications.models import REQUIRED_ATTACHMENT_KINDS

    if "attachments" in getattr(dossier, "_prefetched_objects_cache", {}):
        present = {attachment.kind for attachment in dossier.attachments.all()}
    else:
        present = set(dossier.attachments.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_ATTACHMENT_KINDS if kind not in present]
