"""The staff discussion of a dossier: who may read and post (rule ``reviews.discuss_dossier``), the thread, and
posting a message, which notifies the other participants through the outbox.

Participants: its région's reviewers who may see the dossier (not those who declared a conflict of interest), the
coordinators and the committee (reviews/rules.py). The applicants never see it.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ami_portal.links import absolute_url
from notifications.models import EmailKind
from notifications.services import queue_email
from reviews.models import DiscussionMessage

MAX_LENGTH = 5000


class DiscussionRefused(Exception):
    """A message that cannot be posted, with a French message for the person who wrote it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may_discuss(*, user, dossier) -> bool:
    return user.has_perm("reviews.discuss_dossier", dossier)


def thread(*, user, dossier):
    """The dossier's discussion, oldest first, authors loaded; nothing for those who may not take part."""
    if not may_discuss(user=user, dossier=dossier):
        return DiscussionMessage.objects.none()
    return DiscussionMessage.objects.filter(dossier=dossier).select_related("author")


def participants(*, dossier, exclude=None) -> list:
    """Who hears of a new message: the earlier messages' authors and the dossier's assigned reviewers, if they may
    still take part (a reviewer who has since declared a conflict, or left the région, is left out)."""
    authors = DiscussionMessage.objects.filter(dossier=dossier, author__isnull=False).values("author")
    assigned = dossier.assignments.filter(released_at__isnull=True).values("reviewer")
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = (users.filter(pk__in=authors) | users.filter(pk__in=assigned)).distinct().order_by("pk")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return [user for user in users if may_discuss(user=user, dossier=dossier)]


def post_message(*, dossier, author, text: str, now: datetime | None = None) -> DiscussionMessage:
    """Append ``author``'s message to the dossier's discussion and queue one REVIEW_DISCUSSION e-mail per other
    participant (event key ``review-discussion:<message>:<recipient>``: sent once, after commit). Atomic.

    Raises PermissionDenied if ``author`` may not take part, DiscussionRefused if the text is empty or too long
    (nothing is saved then).
    """
    if not may_discuss(user=author, dossier=dossier):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise DiscussionRefused(_("Write your message before sending it."))
    if len(text) > MAX_LENGTH:
        raise DiscussionRefused(_("A message holds 5,000 characters at most."))
    with transaction.atomic():
        message = DiscussionMessage.objects.create(
            dossier=dossier, author=author, text=text, created_at=now or timezone.now()
        )
        _notify(message)
    return message


def _notify(message: DiscussionMessage) -> None:
    dossier = message.dossier
    context = {
        "reference": dossier.reference,
        "applicant": dossier.applicant_name,
        "author": str(message.author),
        "discussion_url": absolute_url(reverse("admin:applications_dossier_change", args=[dossier.pk])) + "#discussion",
    }
    for recipient in participants(dossier=dossier, exclude=message.author):
        queue_email(
            kind=EmailKind.REVIEW_DISCUSSION,
            key=f"review-discussion:{message.pk}:{recipient.pk}",
            recipient=recipient,
            context=context,
        )
