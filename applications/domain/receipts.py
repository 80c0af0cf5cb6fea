"""The receipt (accusé de réception) of a submission: its facts, as a PDF (reportlab) and as page context."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ami_portal.links import absolute_url
from ami_portal.pdf import portal_pdf
from applications.models import AttachmentKind, Submission
from applications.queries.dossiers import dossier_mail_context


def submitted_at_display(submission: Submission) -> str:
    """The exact time of submission in Europe/Paris, to the second, in the active language's date format."""
    local = timezone.localtime(submission.submitted_at, timezone.get_default_timezone())
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": formats.date_format(local, "l j F Y"),
        "time": local.strftime("%H:%M:%S"),
    }


def _kind_label(kind: str) -> str:
    try:
        return str(AttachmentKind(kind).label)
    except ValueError:
        return kind


def receipt_attachments(submission: Submission) -> list[dict]:
    """The attachments as frozen in the snapshot (not as they may be later)."""
    return [
        {**item, "kind_label": _kind_label(item.get("kind", "")), "size_display": filesizeformat(item.get("size", 0))}
        for item in submission.snapshot.get("attachments", [])
    ]


def receipt_context(submission: Submission) -> dict:
    """Plain facts of the receipt, for the HTML page and the e-mail templates."""
    dossier, wave = submission.dossier, submission.wave
    by = submission.submitted_by
    return {
        **dossier_mail_context(dossier, wave=wave),
        "wave_closes_at": wave.closes_at,
        "wave_last_day": wave.last_day,
        "submitted_at": submission.submitted_at,
        "submitted_by": (by.get_full_name() or by.email) if by else "",
        "fingerprint": submission.fingerprint,
        "attachments": receipt_attachments(submission),
        "receipt_url": absolute_url(
            reverse("applications:receipt", kwargs={"pk": dossier.pk, "submission_pk": submission.pk})
        ),
    }


def _facts(submission: Submission) -> list[tuple[str, str]]:
    context = receipt_context(submission)
    return [
        (_("Dossier number"), context["reference"]),
        (_("Applicant"), context["applicant"]),
        (_("Project title"), context["title"] or "—"),
        (_("Call"), context["campaign"]),
        (
            _("Wave"),
            _("Wave %(number)s (last day for submissions: %(last_day)s)")
            % {"number": context["wave_number"], "last_day": formats.date_format(context["wave_last_day"], "j F Y")},
        ),
        (_("Submitted on"), submitted_at_display(submission)),
        (_("Submitted by"), context["submitted_by"] or "—"),
    ]


def render_receipt_pdf(submission: Submission) -> bytes:
    """The receipt as a PDF document (bytes), in the active language."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    mono = styles["BodyText"].clone("mono", fontName="Courier", fontSize=8, leading=10)
    tiny_mono = styles["BodyText"].clone("tiny_mono", fontName="Courier", fontSize=6, leading=8)
    buffer = io.BytesIO()
    doc = portal_pdf(buffer, title=_("Submission receipt %(reference)s") % {"reference": submission.dossier.reference})

    def para(text, style=styles["BodyText"]):
        return Paragraph(escape(str(text)), style)

    story = [
        para(_("Submission receipt"), styles["Title"]),
        para(_("Call for expressions of interest “Au cœur des territoires” — Cnam")),
        Spacer(1, 0.4 * cm),
    ]
    facts = Table([[para(label), para(value)] for label, value in _facts(submission)], colWidths=[4.5 * cm, 12.8 * cm])
    facts.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)])
    )
    story += [
        facts,
        Spacer(1, 0.4 * cm),
        para(_("Fingerprint of the submitted dossier (SHA-256)"), styles["Heading3"]),
        para(submission.fingerprint, mono),
        Spacer(1, 0.4 * cm),
        para(_("Attachments"), styles["Heading3"]),
    ]
    rows = [[para(_("Document"), small), para(_("File"), small), para(_("SHA-256"), small)]]
    rows += [
        [para(a["kind_label"], small), para(f"{a['name']} ({a['size_display']})", small), para(a["sha256"], tiny_mono)]
        for a in receipt_attachments(submission)
    ]
    table = Table(rows, colWidths=[3.5 * cm, 4.6 * cm, 9.2 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 0.5 * cm),
        para(
            _(
                "The fingerprint is the SHA-256 hash of the snapshot of the dossier taken at submission (its content and "
                "the checksums of its attachments). Any later change to the dossier would give a different fingerprint."
            ),
            small,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
