"""Who may do what with a dossier: the named predicates (the ``rules`` package), each rule written once.

Views, services, selectors, templates (``{% test_rule %}`` from ``{% load rules %}``) and the admin ask these; nothing
else writes "may edit", "may submit", "may withdraw", "may reopen", "sees every dossier" or "may see the
decision". Rule names registered with ``rules.add_perm`` are distinct from Django's model permissions
(``view_dossier``…) so the admin's own permissions are not widened by them.

Predicates that depend on the clock take ``now`` as a keyword (services pass theirs; ``has_perm`` uses the
current time). The ``*_refusal`` functions say, in French, why a predicate is false, for the service's error.
"""

from datetime import datetime

import rules
from django.db.models import Case, CharField, DateTimeField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import In, IsNull
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from applications.states import DECISION_STATUSES, EDITABLE_STATUSES, DossierStatus

# --- who -------------------------------------------------------------------------------------------------------


@rules.predicate
def sees_all_dossiers(user) -> bool:
    """Coordinators and committee members (``applications.view_all_dossiers``) and superusers."""
    return user.is_authenticated and (user.is_superuser or user.has_perm("applications.view_all_dossiers"))


@rules.predicate
def is_dossier_owner(user, dossier) -> bool:
    return dossier is not None and user.is_authenticated and dossier.owner_id == user.pk


@rules.predicate
def is_dossier_co_editor(user, dossier) -> bool:
    if dossier is None or not user.is_authenticated:
        return False
    return dossier.members.filter(user=user).exists()


is_dossier_editor = is_dossier_owner | is_dossier_co_editor


@rules.predicate
def is_dossier_draft(user, dossier) -> bool:
    return dossier is not None and dossier.status in EDITABLE_STATUSES


@rules.predicate
def can_view_dossier(user, dossier) -> bool:
    """Editors, and whoever the role-based visibility lets see it (reviewers of its région, coordinators)."""
    if dossier is None or not user.is_authenticated:
        return False
    from applications.models import Dossier

    return Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


@rules.predicate
def is_holder_mandate_verified(user, dossier) -> bool:
    """Cnam staff verified the current holder's mandate (applications/domain/holders.py); submission needs it."""
    return dossier is not None and dossier.is_holder_mandate_verified


@rules.predicate
def manages_holders_everywhere(user) -> bool:
    """Superusers, national coordinators and administrators act on the holders of every région's dossiers."""
    if not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    return user.has_perm("applications.manage_dossier_holders") and (
        user.has_perm("applications.view_all_dossiers") or user.groups.filter(name=Role.ADMINISTRATOR).exists()
    )


@rules.predicate
def can_manage_holders(user, dossier) -> bool:
    """Regional staff of the dossier's région (without a declared conflict of interest), or staff acting
    everywhere, may verify the holder's mandate, transfer the dossier, remove a holder and answer join requests."""
    if dossier is None or not user.is_authenticated:
        return False
    from applications.queries import dossiers as selectors

    return selectors.dossiers_for_holder_staff(user).filter(pk=dossier.pk).exists()


@rules.predicate
def is_instructing_staff(user, dossier) -> bool:
    """Staff who may read the dossier (its région's reviewers, coordinators, committee): the staff side of its
    message thread."""
    return user.is_authenticated and user.is_staff and can_view_dossier(user, dossier)


# The message thread is between the dossier's editors and its instructing staff.
can_take_part_in_thread = is_dossier_editor | is_instructing_staff


# --- editing ---------------------------------------------------------------------------------------------------

can_edit_dossier = is_dossier_editor & is_dossier_draft
can_manage_co_editors = is_dossier_owner & is_dossier_draft


# --- submission, withdrawal, reopening -------------------------------------------------------------------------


def _before_deadline(dossier, now: datetime) -> bool:
    return dossier.wave_id is not None and now < dossier.wave.closes_at


def submission_refusal(user, dossier) -> str | None:
    """Why ``user`` may not submit ``dossier``, or None. Completeness and the target wave are checked by
    ``submission.submit_dossier``; any further condition on the submitter belongs here."""
    if not is_dossier_editor(user, dossier):
        return _("Only the owner and co-editors of a dossier can submit it.")
    if dossier.status != DossierStatus.DRAFT:
        return _("This dossier has already been submitted.")
    if not dossier.is_holder_mandate_verified:
        return _(
            "The Cnam has not yet verified the mandate of the dossier's holder: the dossier can be submitted "
            "once the regional team has verified it (you will be told by e-mail)."
        )
    return None


@rules.predicate
def can_submit_dossier(user, dossier) -> bool:
    return dossier is not None and submission_refusal(user, dossier) is None


def withdrawal_refusal(user, dossier, *, now: datetime) -> str | None:
    """Why ``user`` may not take ``dossier``'s submission back to draft at ``now``, or None: the owner only, a
    submitted dossier not yet under review, before its wave's deadline."""
    if not is_dossier_owner(user, dossier):
        return _("Only the owner of the dossier can withdraw its submission.")
    if dossier.status != DossierStatus.SUBMITTED:
        return _("Only a submitted dossier that is not yet under review can be withdrawn.")
    if not _before_deadline(dossier, now):
        return _("The deadline of wave %(number)s has passed: the submission can no longer be withdrawn.") % {
            "number": dossier.wave.number if dossier.wave_id else "—"
        }
    return None


@rules.predicate
def can_withdraw_submission(user, dossier, *, now: datetime | None = None) -> bool:
    return dossier is not None and withdrawal_refusal(user, dossier, now=now or timezone.now()) is None


def reopening_refusal(user, dossier, *, now: datetime) -> str | None:
    """Why ``user`` may not send ``dossier`` back to draft for corrections at ``now``, or None: Cnam staff who see
    it, a submitted dossier not yet under review, before its wave's deadline."""
    if not (user.is_authenticated and user.is_staff and can_view_dossier(user, dossier)):
        return _("Only Cnam staff in charge of this dossier can reopen it.")
    if dossier.status != DossierStatus.SUBMITTED:
        return _("Only a submitted dossier that is not yet under review can be reopened.")
    if not _before_deadline(dossier, now):
        return _("The deadline of wave %(number)s has passed: the dossier can no longer be reopened.") % {
            "number": dossier.wave.number if dossier.wave_id else "—"
        }
    return None


@rules.predicate
def can_reopen_dossier(user, dossier, *, now: datetime | None = None) -> bool:
    return dossier is not None and reopening_refusal(user, dossier, now=now or timezone.now()) is None


# --- decisions are confidential until their wave's publication --------------------------------------------------
#
# A decision (laureate, not retained, postponed) and its date are revealed by the publication (``publishes_at``)
# of the wave it was taken in (``Dossier.decision_wave``; the dossier's wave for rows that predate it). Before
# that instant only the staff who make or supervise decisions see it; everyone else sees "under review".
# ``is_decision_published`` (one object) and ``decision_published_q`` (SQL) are the same rule, tested together.

knows_decisions_early = (
    rules.is_superuser
    | rules.is_group_member(Role.COORDINATOR)
    | rules.is_group_member(Role.COMMITTEE)
    | rules.is_group_member(Role.ADMINISTRATOR)
)


def _revealing_wave(dossier):
    return dossier.decision_wave if dossier.decision_wave_id else dossier.wave if dossier.wave_id else None


def is_decision_published(dossier, *, now: datetime) -> bool:
    """True once the committee's decision on ``dossier`` is public (decided, and its wave published at ``now``)."""
    wave = _revealing_wave(dossier)
    return dossier.status in DECISION_STATUSES and wave is not None and wave.publishes_at <= now


def decision_published_q(now: datetime) -> Q:
    """The dossiers whose decision is public at ``now``: ``is_decision_published`` as a query."""
    return Q(status__in=DECISION_STATUSES) & (
        Q(decision_wave__publishes_at__lte=now) | Q(decision_wave__isnull=True, wave__publishes_at__lte=now)
    )


def _waves_unpublished_at(now: datetime) -> list[int]:
    """The ids of the waves whose results are still confidential at ``now``: a handful of rows, read once so that
    the annotations below compare ids instead of joining the waves into every dossier query."""
    from applications.models import Wave

    return list(Wave.objects.filter(publishes_at__gt=now).order_by().values_list("pk", flat=True))


# The revealing wave of a dossier without any wave (none exists in practice): an id no wave has, never published.
NO_WAVE = 0


def _decision_hidden_among(unpublished_wave_ids: list[int]) -> Q:
    """The decided dossiers whose revealing wave (``_revealing_wave``: the decision's wave, else the dossier's) is
    one of ``unpublished_wave_ids`` or does not exist."""
    revealing_wave = Coalesce(F("decision_wave_id"), F("wave_id"), Value(NO_WAVE))
    return Q(status__in=DECISION_STATUSES) & Q(In(revealing_wave, [*unpublished_wave_ids, NO_WAVE]))


def decision_hidden_q(now: datetime) -> Q:
    """The decided dossiers whose decision is still confidential at ``now``: the complement of
    ``decision_published_q``, without NULL traps (a decision whose dossier has no wave at all stays hidden)."""
    return _decision_hidden_among(_waves_unpublished_at(now))


@rules.predicate
def can_see_decision(user, dossier, *, now: datetime | None = None) -> bool:
    """May ``user`` see ``dossier``'s decision and its date at ``now``? (True when there is no decision.)"""
    if dossier is None:
        return False
    if dossier.status not in DECISION_STATUSES:
        return True
    return bool(knows_decisions_early(user)) or is_decision_published(dossier, now=now or timezone.now())


# While a decision is confidential the dossier shows what was last made public: "under review", or "postponed" (and
# that date) when the dossier was postponed in an earlier, published wave and carried over — so that recording its
# next decision changes nothing the applicants or reviewers can see.


def _published_postponements(now: datetime):
    from reviews.models import Decision

    return Decision.objects.filter(outcome=DossierStatus.POSTPONED, wave__publishes_at__lte=now).order_by(
        "-decided_at", "-pk"
    )


def _earlier_published_postponement(dossier, now: datetime):
    if dossier.decision_wave_id is None:
        return None
    return _published_postponements(now).filter(dossier=dossier).exclude(wave_id=dossier.decision_wave_id).first()


def shown_status(user, dossier, *, now: datetime | None = None) -> str:
    """The status ``user`` sees at ``now``: the real one, or while the decision is confidential to them "under
    review" ("postponed" if an earlier wave's postponement was published)."""
    now = now or timezone.now()
    if can_see_decision(user, dossier, now=now):
        return dossier.status
    return DossierStatus.POSTPONED if _earlier_published_postponement(dossier, now) else DossierStatus.UNDER_REVIEW


def shown_decided_at(user, dossier, *, now: datetime | None = None) -> datetime | None:
    """The decision date ``user`` sees at ``now``: none while the decision is confidential to them (or the date of
    the earlier published postponement)."""
    now = now or timezone.now()
    if can_see_decision(user, dossier, now=now):
        return dossier.decided_at
    earlier = _earlier_published_postponement(dossier, now)
    return earlier.decided_at if earlier else None


def shown_status_annotations(*, user, now: datetime) -> dict:
    """``shown_status`` and ``shown_decided_at`` as query expressions (see ``Dossier.objects.with_shown_status``).
    Built for every dossier list a reviewer or an official opens, so kept cheap to build: wave ids compared, not
    waves joined (issue 13)."""
    if knows_decisions_early(user):
        return {"shown_status": F("status"), "shown_decided_at": F("decided_at")}
    from reviews.models import Decision

    unpublished = _waves_unpublished_at(now)
    hidden = _decision_hidden_among(unpublished)
    # The date of the dossier's latest postponement published in another wave than its current decision's
    # (``_earlier_published_postponement``; NULL when there is none, or when the decision has no wave).
    earlier_postponed_at = Subquery(
        Decision.objects.filter(dossier=OuterRef("pk"), outcome=DossierStatus.POSTPONED, wave__isnull=False)
        .exclude(wave_id__in=unpublished)
        .exclude(wave=OuterRef("decision_wave"))
        .order_by("-decided_at", "-pk")
        .values("decided_at")[:1],
        output_field=DateTimeField(),
    )
    shown_date_while_hidden = Case(
        When(decision_wave__isnull=False, then=earlier_postponed_at),
        default=Value(None, output_field=DateTimeField()),
    )
    return {
        "shown_status": Case(
            When(
                hidden,
                then=Case(
                    When(IsNull(shown_date_while_hidden, False), then=Value(DossierStatus.POSTPONED.value)),
                    default=Value(DossierStatus.UNDER_REVIEW.value),
                ),
            ),
            default=F("status"),
            output_field=CharField(),
        ),
        "shown_decided_at": Case(
            When(hidden, then=shown_date_while_hidden), default=F("decided_at"), output_field=DateTimeField()
        ),
    }


# Object permissions (``user.has_perm``, the admin's RulesAdminMixin): Django grants every permission to active
# superusers, which is right for reading a dossier or its decision.
rules.add_perm("applications.read_dossier", can_view_dossier)
rules.add_perm("applications.see_decision", can_see_decision)
rules.add_perm("applications.manage_holders_of_dossier", can_manage_holders)

# Rules for templates (``{% test_rule name user dossier as flag %}``): no superuser shortcut, since a superuser
# is neither an editor nor the owner and the services would refuse them.
for name, predicate in {
    "applications.edit_dossier": can_edit_dossier,
    "applications.submit_dossier": can_submit_dossier,
    "applications.withdraw_submission": can_withdraw_submission,
    "applications.reopen_dossier": can_reopen_dossier,
    "applications.see_decision": can_see_decision,
}.items():
    rules.add_rule(name, predicate)
