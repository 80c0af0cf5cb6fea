"""Data helpers for the submission, attachment and receipt tests."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage

from applications.domain.attachments import add_attachment
from applications.models import DossierMember
from tests.factories import CampaignFactory, DossierFactory, UserFactory, WaveFactory

from . import submission_files as files

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def waves(*closings, gap_days: int = 10):
    """Consecutive waves of one campaign, closing at the given Paris instants; each opens ``gap_days`` after
    the previous one closed (the first opens 60 days before it closes)."""
    from datetime import timedelta

    campaign = CampaignFactory()
    made, opens = [], closings[0] - timedelta(days=60)
    for number, closes in enumerate(closings, start=1):
        made.append(
            WaveFactory(
                campaign=campaign,
                number=number,
                opens_at=opens,
                closes_at=closes,
                publishes_at=closes + timedelta(days=30),
            )
        )
        opens = closes + timedelta(days=gap_days)
    return made


def attach(dossier, kind, *, by=None, name=None, content=None):
    default_name, make = files.required_documents().get(kind, ("document.pdf", files.pdf_bytes))
    return add_attachment(
        dossier=dossier, kind=kind, upload=files.upload(content or make(), name or default_name), by=by or dossier.owner
    )


def dossier_with_attachments(**kwargs):
    """A draft dossier with every required attachment but its sections left empty (for the section rules)."""
    dossier = DossierFactory(**kwargs)
    for kind in files.required_documents():
        attach(dossier, kind)
    return dossier


def add_co_editor(dossier, user=None):
    user = user or UserFactory()
    DossierMember.objects.create(dossier=dossier, user=user, added_by=dossier.owner)
    return user


def stored_files() -> set[Path]:
    root = Path(default_storage.location)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()
