"""The dossier state machine: the states, the allowed transitions, and the one function that performs them."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    LAUREATE = "laureate", _("Laureate")
    NOT_RETAINED = "not_retained", _("Not retained")
    POSTPONED = "postponed", _("Postponed to the next wave")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = DossierStatus

# Allowed transitions: from -> set of to. The only place where this rule is written.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    # back to draft: withdrawn by the owner or reopened by staff, before the deadline
    S.SUBMITTED: {S.UNDER_REVIEW, S.DRAFT, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.LAUREATE, S.NOT_RETAINED, S.POSTPONED},
    # a postponed dossier is examined again in the next wave
    S.POSTPONED: {S.UNDER_REVIEW, S.LAUREATE, S.NOT_RETAINED},
    S.LAUREATE: set(),
    S.NOT_RETAINED: set(),
    S.WITHDRAWN: set(),
}

# The committee's decisions are dossier states: this is their one home (reviews.Decision.outcome uses it).
DECISIONS = (S.LAUREATE, S.NOT_RETAINED, S.POSTPONED)
DECISION_STATUSES = set(DECISIONS)
DECISION_CHOICES = [(status.value, status.label) for status in DECISIONS]
EDITABLE_STATUSES = {S.DRAFT}


class TransitionNotAllowed(Exception):
    def __init__(self, from_status, to_status):
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            _("A dossier cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        )


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())


def transition_dossier(dossier, *, to: str, by=None, reason: str = "", now=None, on_commit=None):
    """Move ``dossier`` to ``to`` if allowed, save it and log who/when/why, atomically; returns the log row
    (DossierTransition).

    Entering a decision status records when (``decided_at``) and in which wave (``decision_wave``) it was taken.

    ``on_commit`` (optional callable) runs after the transaction commits, e.g. to queue notifications.
    Raises TransitionNotAllowed; the caller holds a row lock (select_for_update) when racing matters.
    """
    from applications.models import DossierTransition

    now = now or timezone.now()
    if not can_transition(dossier.status, to):
        raise TransitionNotAllowed(dossier.status, to)
    # No savepoint inside a caller's transaction: a failure here fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        previous = dossier.status
        dossier.status = to
        if to in DECISION_STATUSES:
            # Confidential until this wave's publication (applications.rules.decision_published_q).
            dossier.decided_at, dossier.decision_wave_id = now, dossier.wave_id
        dossier.save()
        log = DossierTransition.objects.create(
            dossier=dossier, from_status=previous, to_status=to, by=by, at=now, reason=reason
        )
        if on_commit is not None:
            transaction.on_commit(on_commit)
    return log
