"""Structural checks of uploaded files: is the content really the document it claims to be, and a harmless one?

Each ``check_*`` function reads a seekable file object and raises ``AttachmentRejected`` with a sentence for
the official. Nothing here writes anywhere.
"""

from __future__ import annotations

import re
import warnings
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


def _rejected(message: str):
    from applications.domain.attachments import AttachmentRejected

    return AttachmentRejected(message)


# --- executables and polyglots ----------------------------------------------------------------------------

EXECUTABLE_SIGNATURES = (
    b"\x7fELF",  # Linux/Unix
    b"MZ",  # Windows PE / DOS
    b"#!",  # shell or other script
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
)


def looks_executable(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(EXECUTABLE_SIGNATURES)


# Markup a browser would interpret as a web page (or active image) if it ever sniffed the file.
_HTML = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype\s+html)[\s>/]", re.IGNORECASE)
_SCAN_CHUNK = 1024 * 1024


def refuse_polyglot(upload, head: bytes) -> None:
    """Refuse files that are valid as two formats at once: a PDF or image carrying a ZIP archive or HTML."""
    is_zip_container = head.startswith(b"PK\x03\x04")
    message = _(
        "This file mixes several formats (for instance a PDF that is also an archive or a web page). "
        "Save it again as a plain document and try again."
    )
    if b"%PDF-" in head[1:1024]:
        raise _rejected(message)
    if is_zip_container:
        if _HTML.search(head[:1024]):
            raise _rejected(message)
        return
    upload.seek(0)
    if zipfile.is_zipfile(upload):
        raise _rejected(message)
    if _contains_html(upload):
        raise _rejected(message)
    upload.seek(0)


def _contains_html(upload) -> bool:
    upload.seek(0)
    tail = b""
    while chunk := upload.read(_SCAN_CHUNK):
        if _HTML.search(tail + chunk):
            return True
        tail = chunk[-32:]
    return False


# --- PDF --------------------------------------------------------------------------------------------------

# Names that make a PDF do something when opened: run JavaScript, launch a program, carry another file.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA"}
ACTIVE_VALUES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia", "/ImportData", "/SubmitForm"}
MAX_PDF_OBJECTS = 200_000


def check_pdf(upload) -> None:
    """The PDF must parse with pypdf, have pages, not need a password, and carry no active content."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    corrupted = _("This PDF is damaged or incomplete and cannot be read. Export it again and try again.")
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _rejected(_("This PDF is protected by a password. Upload a version without a password."))
        if len(reader.pages) < 1:
            raise _rejected(corrupted)
        active = _has_active_content(reader)
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
        NotImplementedError,
    ):
        raise _rejected(corrupted) from None
    finally:
        upload.seek(0)
    if active:
        raise _rejected(
            _(
                "This PDF contains active content (JavaScript, a command that launches a program, or an embedded "
                "file), which the portal does not accept. Print it again to PDF without it and try again."
            )
        )


def _has_active_content(reader) -> bool:
    """Walk every object of the file: those reachable from the trailer and every object listed in the xref."""
    from pypdf.generic import IndirectObject

    pending = [reader.trailer]
    for generation, objects in getattr(reader, "xref", {}).items():
        pending.extend(IndirectObject(idnum, generation, reader) for idnum in objects)
    pending.extend(IndirectObject(idnum, 0, reader) for idnum in getattr(reader, "xref_objStm", {}))
    seen: set[tuple[int, int]] = set()
    visited = 0
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return True  # too large to inspect fully: treat as unsafe
        if _is_active(obj):
            return True
        pending.extend(_children(obj))
    return False


def _is_active(obj) -> bool:
    if not isinstance(obj, dict):
        return False
    if ACTIVE_KEYS.intersection(str(key) for key in obj.keys()):
        return True
    return any(str(dict.get(obj, key, "")) in ACTIVE_VALUES for key in ("/S", "/Type", "/Subtype"))


def _children(obj) -> list:
    if isinstance(obj, dict):
        return list(dict.values(obj))
    if isinstance(obj, list):
        return list(obj)
    return []


# --- office documents (ZIP containers) ---------------------------------------------------------------------

OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.text": "odt",
}
MAX_ZIP_ENTRIES = 5000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024  # small entries legitimately compress a lot


def check_office_zip(upload) -> str:
    """Return "xlsx", "docx", "ods" or "odt" for a sound office file; refuse bombs, macros and other archives."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _refuse_zip_bomb(infos)
            kind = _office_kind(archive, infos)
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise _rejected(_("This office document is damaged and cannot be read. Save it again and try again.")) from None
    finally:
        upload.seek(0)
    return kind


def _refuse_zip_bomb(infos) -> None:
    bomb = _rejected(
        _(
            "This office document expands to an abnormal size once decompressed; it is refused. "
            "Save it again from your spreadsheet or word processor."
        )
    )
    max_total = getattr(settings, "ATTACHMENT_MAX_UNCOMPRESSED_SIZE", 100 * 1024 * 1024)
    if len(infos) > MAX_ZIP_ENTRIES:
        raise bomb
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if total > max_total:
        raise bomb
    if total > RATIO_CHECK_FROM and total > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise bomb
    for info in infos:
        if info.flag_bits & 0x1:
            raise _rejected(_("This office document is protected by a password. Upload a version without a password."))
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise bomb


def _read_small(archive, name: str, limit: int) -> bytes:
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise zipfile.BadZipFile
    return data


def _office_kind(archive, infos) -> str:
    names = {info.filename for info in infos}
    not_office = _rejected(_("This archive is not a spreadsheet or text document the portal accepts."))
    macros = _rejected(
        _(
            "This office document contains macros, which the portal does not accept. "
            "Save it without macros (XLSX, ODS, DOCX or ODT) and try again."
        )
    )
    if "[Content_Types].xml" in names:
        types = _read_small(archive, "[Content_Types].xml", 1024 * 1024)
        if b"macroEnabled" in types or any(name.lower().endswith("vbaproject.bin") for name in names):
            raise macros
        for part, kind in OOXML_MAIN_PARTS.items():
            if part in types:
                return kind
        raise not_office
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype", 200).strip()
        if mimetype not in ODF_MIMETYPES or "content.xml" not in names:
            raise not_office
        if any(name.startswith(("Basic/", "Scripts/")) for name in names):
            raise macros
        return ODF_MIMETYPES[mimetype]
    raise not_office


# --- images --------------------------------------------------------------------------------------------------


def check_image(upload) -> None:
    """A PNG or JPEG that Pillow can read in full, of a sane pixel count."""
    from PIL import Image

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()
    except Exception:
        raise _rejected(_("This image is damaged or too large to be read. Export it again and try again.")) from None
    finally:
        upload.seek(0)
