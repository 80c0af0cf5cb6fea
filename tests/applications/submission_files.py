"""Test documents generated in code (no binary fixtures): valid ones and every kind the portal must refuse."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "Lettre d'engagement du maire") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _pdf_via_pypdf(mutate) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    mutate(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action_type: str, **entries) -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def mutate(writer):
        action = DictionaryObject({NameObject("/S"): NameObject(action_type)})
        for key, value in entries.items():
            action[NameObject(f"/{key}")] = TextStringObject(value)
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return _pdf_via_pypdf(mutate)


def pdf_with_javascript() -> bytes:
    return _open_action("/JavaScript", JS="app.alert('bonjour');")


def pdf_with_embedded_file() -> bytes:
    return _pdf_via_pypdf(lambda writer: writer.add_attachment("payload.exe", b"MZ\x90\x00"))


def pdf_with_launch_action() -> bytes:
    return _open_action("/Launch", F="cmd.exe")


def corrupted_pdf() -> bytes:
    valid = pdf_bytes()
    return valid[: len(valid) // 3]


def polyglot_pdf_zip() -> bytes:
    """A PDF with a ZIP archive appended: opens as both."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", "<html><script>alert(1)</script></html>")
    return pdf_bytes() + buffer.getvalue()


def polyglot_pdf_html() -> bytes:
    return pdf_bytes() + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Poste", "Montant"])
    sheet.append(["Aménagement des locaux", 25000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes() -> bytes:
    import tablib

    data = tablib.Dataset(headers=["Poste", "Montant"])
    data.append(["Équipement", 12000])
    return data.export("ods")


def xlsx_zip_bomb(megabytes: int = 30) -> bytes:
    """A valid workbook plus one highly compressed entry that expands to ``megabytes`` of zeros."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info.filename))
        archive.writestr("xl/media/padding.bin", b"\0" * (megabytes * 1024 * 1024))
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\0" * 120


def windows_exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 120 + b"This program cannot be run in DOS mode."


def shell_script_bytes() -> bytes:
    return b"#!/bin/sh\nrm -rf ~\n"


def upload(content: bytes, name: str = "document.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def required_documents() -> dict:
    """(file name, content maker) of one valid file for each required attachment kind."""
    from applications.models import AttachmentKind

    return {
        AttachmentKind.COMMITMENT_LETTER: ("lettre-engagement.pdf", pdf_bytes),
        AttachmentKind.COUNCIL_DELIBERATION: ("deliberation.pdf", lambda: pdf_bytes("Délibération du conseil")),
        AttachmentKind.BUDGET_TABLE: ("budget.xlsx", xlsx_bytes),
    }
