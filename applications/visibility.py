"""What a reader of a dossier may know of its decision at an instant, for the dossier document (print, PDF, ZIP).

Delegates to the one decision-visibility rule (see applications/rules.py); this module only applies it to a
status and a history.
"""

from __future__ import annotations

from datetime import datetime

from accounts.roles import Role, has_role

from .states import DECISION_STATUSES, DossierStatus


def may_see_decision(user, dossier, *, now: datetime) -> bool:
    if dossier.status not in DECISION_STATUSES:
        return True
    if user.is_superuser or any(has_role(user, role) for role in (Role.COORDINATOR, Role.COMMITTEE)):
        return True
    return dossier.wave_id is not None and dossier.wave.publishes_at <= now


def shown_status(dossier, *, user, now: datetime) -> DossierStatus:
    status = DossierStatus(dossier.status)
    return status if may_see_decision(user, dossier, now=now) else DossierStatus.UNDER_REVIEW


def visible_transitions(dossier, *, user, now: datetime) -> list:
    """The dossier's status history, without a decision the reader may not know yet."""
    transitions = list(dossier.transitions.all())
    if may_see_decision(user, dossier, now=now):
        return transitions
    return [t for t in transitions if t.to_status not in DECISION_STATUSES]
