"""The message thread of a dossier, between the instructing staff and its officials (the "messagerie").

Staff ask a question or request a document; the officials are e-mailed and answer in the portal, with a document
checked like the dossier's attachments; the officials' answers are e-mailed to the staff of the thread (or, before
any staff wrote, to the national coordinators). Messages are append-only: the thread is its own log.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from ami_portal.links import absolute_url
from applications import rules as dossier_rules
from applications.domain.attachments import check_upload, store_file
from applications.models import AttachmentKind, Dossier, DossierMessage, DossierMessageFile
from applications.queries.dossiers import dossier_mail_recipients
from notifications.models import EmailKind
from notifications.services import queue_email

MAX_BODY = 5000


def thread(dossier: Dossier):
    return dossier.messages.select_related("author", "file").order_by("created_at", "pk")


def post_message(
    *, dossier: Dossier, by, body: str, upload=None, requests_document: bool = False, now: datetime | None = None
) -> DossierMessage:
    """Add a message (and its document) to the thread and e-mail the other side, once, after commit.

    Atomic: a refused document leaves no message. Raises PermissionDenied for anyone outside the thread and
    ValidationError (French) for an empty or over-long message or a refused document. Only staff request documents.
    """
    staff = dossier_rules.is_instructing_staff(by, dossier)
    if not staff and not dossier_rules.is_dossier_editor(by, dossier):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your message."), code="empty")
    if len(body) > MAX_BODY:
        raise ValidationError(_("A message holds at most %(max)s characters.") % {"max": MAX_BODY}, code="too_long")
    checked = check_upload(upload, kind=AttachmentKind.OTHER) if upload else None
    with transaction.atomic():
        message = DossierMessage.objects.create(
            dossier=dossier,
            author=by,
            from_staff=staff,
            requests_document=staff and requests_document,
            body=body,
            created_at=now or timezone.now(),
        )
        if checked:
            store_file(DossierMessageFile(message=message, **asdict(checked)), upload)
        _notify(message)
    return message


def _staff_recipients(message: DossierMessage) -> list:
    staff_ids = (
        DossierMessage.objects.filter(dossier=message.dossier, from_staff=True)
        .exclude(author=None)
        .values_list("author_id", flat=True)
    )
    people = get_user_model().objects.filter(pk__in=staff_ids, is_active=True)
    if not people.exists():
        people = get_user_model().objects.filter(groups__name=Role.COORDINATOR, is_active=True)
    return list(people.exclude(pk=message.author_id).distinct())


def _notify(message: DossierMessage) -> None:
    dossier = message.dossier
    if message.from_staff:
        recipients = [p for p in dossier_mail_recipients(dossier) if p.pk != message.author_id]
    else:
        recipients = _staff_recipients(message)
    context = {
        "reference": dossier.reference,
        "applicant": dossier.applicant_name,
        "from_staff": message.from_staff,
        "requests_document": message.requests_document,
        "body": message.body,
        "thread_url": absolute_url(reverse("applications:messages", kwargs={"pk": dossier.pk})),
    }
    for person in recipients:
        queue_email(
            kind=EmailKind.DOSSIER_MESSAGE, key=f"dossier-message:{message.pk}", recipient=person, context=context
        )
