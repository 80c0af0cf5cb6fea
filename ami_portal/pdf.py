"""The portal's PDF page (reportlab), one layout for every document it prints: receipts, the whole dossier."""

from typing import BinaryIO


def portal_pdf(buffer: BinaryIO, *, title: str):
    """A4, 1.8 cm margins, author Cnam; ``invariant`` so the same content gives the same bytes (no creation date or
    random id in the file), which keeps a document's fingerprint and its tests stable."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    margin = 1.8 * cm
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author="Cnam",
        invariant=True,
    )
