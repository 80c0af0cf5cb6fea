"""The whole dossier as a document: every section, the attachments with their fingerprints, status and history —
as a print view and a PDF for everyone who may read the dossier, and for staff a ZIP bundle with the attachments.

What the reader may know follows the one confidentiality rule (applications/rules.py): a decision not yet published
is shown as the rule says ("under review") and its history entry left out (reviews.selectors.status_history).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ami_portal.pdf import portal_pdf
from applications import rules
from applications.domain.attachments import download_name
from applications.models import Dossier
from applications.queries.home import programme_memberships, section_contents
from applications.states import DossierStatus


@dataclass(frozen=True)
class DossierDocument:
    dossier: Dossier
    status_label: str
    facts: list[tuple[str, str]]
    sections: list[tuple]
    attachments: list
    history: list
    generated_at: datetime


def dossier_document(dossier: Dossier, *, user, now: datetime) -> DossierDocument:
    from reviews.selectors import status_history

    status = DossierStatus(rules.shown_status(user, dossier, now=now))
    facts = [
        (_("Dossier number"), dossier.reference),
        (_("Applicant"), dossier.applicant_name),
        (_("Campaign"), dossier.campaign.name),
        (_("Wave"), str(dossier.wave.number) if dossier.wave_id else "—"),
        (_("Status"), str(status.label)),
    ]
    if dossier.submitted_at:
        facts.append((_("Submitted on"), formats.date_format(timezone.localtime(dossier.submitted_at), "j F Y, H:i:s")))
    programmes = sorted({str(m.get_programme_display()) for m in programme_memberships(dossier)})
    facts.append((_("Programmes"), ", ".join(programmes) or "—"))
    return DossierDocument(
        dossier=dossier,
        status_label=str(status.label),
        facts=facts,
        sections=section_contents(dossier),
        attachments=list(dossier.attachments.order_by("kind", "uploaded_at")),
        history=list(status_history(user=user, dossier=dossier, now=now)[0]),
        generated_at=now,
    )


def render_dossier_pdf(document: DossierDocument) -> bytes:
    """The dossier as a PDF (bytes), in the active language."""
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    styles, small, mono = _styles()
    buffer = io.BytesIO()
    dossier = document.dossier
    pdf = portal_pdf(buffer, title=_("Dossier %(reference)s") % {"reference": dossier.reference})

    def para(text, style=styles["BodyText"]):
        return Paragraph(escape(str(text if text not in (None, "") else "—")).replace("\n", "<br/>"), style)

    def table(rows, widths, header=False):
        grid = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke))
        grid.setStyle(TableStyle(style))
        return grid

    story = [
        para(
            _("Dossier %(reference)s — %(applicant)s")
            % {"reference": dossier.reference, "applicant": dossier.applicant_name},
            styles["Title"],
        ),
        table([[para(label), para(value)] for label, value in document.facts], [4.5 * cm, 12.8 * cm]),
    ]
    for spec, rows in document.sections:
        story += [Spacer(1, 0.3 * cm), para(f"{spec.number}. {spec.title}", styles["Heading2"])]
        story.append(
            table(
                [[para(label, small), para(value)] for label, value in rows] or [[para("—")]],
                [4.5 * cm, 12.8 * cm] if rows else [17.3 * cm],
            )
        )
    story += [Spacer(1, 0.3 * cm), para(_("Attachments"), styles["Heading2"])]
    rows = [[para(_("Document"), small), para(_("File"), small), para(_("SHA-256"), small)]]
    rows += [
        [
            para(a.get_kind_display(), small),
            para(f"{a.display_name} ({formats.number_format(a.size)} o)", small),
            para(a.sha256, mono),
        ]
        for a in document.attachments
    ]
    story.append(table(rows, [3.5 * cm, 5 * cm, 8.8 * cm], header=True))
    story += [Spacer(1, 0.3 * cm), para(_("History"), styles["Heading2"])]
    rows = [[para(_("Date"), small), para(_("Status"), small), para(_("Reason"), small)]]
    rows += [
        [
            para(formats.date_format(timezone.localtime(t.at), "j F Y, H:i"), small),
            para(t.get_to_status_display(), small),
            para(t.reason, small),
        ]
        for t in document.history
    ]
    story.append(table(rows, [4 * cm, 4.5 * cm, 8.8 * cm], header=True))
    generated = formats.date_format(timezone.localtime(document.generated_at), "j F Y, H:i")
    story += [Spacer(1, 0.4 * cm), para(_("Document generated on %(date)s (Paris time).") % {"date": generated}, small)]
    pdf.build(story)
    return buffer.getvalue()


def _styles():
    from reportlab.lib.styles import getSampleStyleSheet

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    mono = styles["BodyText"].clone("mono", fontName="Courier", fontSize=6, leading=8)
    return styles, small, mono


def dossier_bundle(document: DossierDocument) -> io.BytesIO:
    """A ZIP of the dossier PDF and every attachment under its cleaned download name (for staff)."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{document.dossier.reference}.pdf", render_dossier_pdf(document))
        for attachment in document.attachments:
            name = _unique(download_name(original_name=attachment.original_name, extension=attachment.extension), used)
            with attachment.file.open("rb") as handle:
                archive.writestr(f"{_('attachments')}/{name}", handle.read())
    buffer.seek(0)
    return buffer


def _unique(name: str, used: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, counter = name, 2
    while candidate in used:
        candidate = f"{stem}-{counter}{dot}{extension}" if dot else f"{name}-{counter}"
        counter += 1
    used.add(candidate)
    return candidate
