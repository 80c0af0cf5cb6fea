"""Permission predicates of the review workflow, used by the admin mixin, the views and the services.

Object checks go through the same selector as the lists (``Dossier.objects.visible_to``), so a page, a filter, an
export and a download all answer "may this person see this dossier?" the same way.
"""

import rules

from accounts.roles import Role
from applications.rules import sees_all_dossiers, shown_status
from applications.states import DossierStatus

REVIEWABLE_STATUSES = {DossierStatus.SUBMITTED, DossierStatus.UNDER_REVIEW, DossierStatus.POSTPONED}

is_regional_reviewer = rules.is_group_member(Role.REGIONAL_REVIEWER)
is_staff = rules.is_staff


@rules.predicate
def may_decide(user) -> bool:
    return user.is_authenticated and user.has_perm("applications.decide_dossier")


@rules.predicate
def sees_dossier(user, dossier) -> bool:
    if dossier is None or not user.is_authenticated or not user.is_staff:
        return False
    from applications.models import Dossier

    return Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


@rules.predicate
def is_reviewable(user, dossier) -> bool:
    # The status the user may see: to a reviewer, a decision not yet published is still "under review" (hiding
    # the "Score" button would tell them the committee has decided).
    return dossier is not None and shown_status(user, dossier) in REVIEWABLE_STATUSES


@rules.predicate
def reviews_region_of(user, dossier) -> bool:
    return dossier is not None and user.is_authenticated and dossier.region_id in user.staff_region_ids


@rules.predicate
def has_conflict_on(user, dossier) -> bool:
    return dossier is not None and user.is_authenticated and dossier.conflicts.filter(reviewer=user).exists()


@rules.predicate
def is_review_author(user, review) -> bool:
    return review is not None and user.is_authenticated and review.reviewer_id == user.pk


@rules.predicate
def is_draft_review(user, review) -> bool:
    from reviews.models import ReviewStatus

    return review is not None and review.status == ReviewStatus.DRAFT


@rules.predicate
def sees_reviewed_dossier(user, review) -> bool:
    return review is not None and sees_dossier(user, review.dossier)


@rules.predicate
def may_read_review(user, review) -> bool:
    """Own review, or a colleague's once one's own review of the dossier is completed (selectors.reviews_visible_to)."""
    if review is None:
        return False
    from reviews.selectors import reviews_visible_to

    return review.pk in {r.pk for r in reviews_visible_to(user=user, reviews=review.dossier.reviews.all())}


can_score_dossier = is_regional_reviewer & sees_dossier & reviews_region_of & is_reviewable & ~has_conflict_on
can_declare_conflict = is_regional_reviewer & sees_dossier & reviews_region_of & ~has_conflict_on
can_edit_review = is_review_author & is_draft_review & sees_reviewed_dossier
can_view_review = sees_reviewed_dossier & may_read_review
can_write_note = sees_dossier
can_decide_dossier = may_decide & sees_dossier
can_see_rankings = is_staff & sees_all_dossiers

rules.add_perm("reviews.score_dossier", can_score_dossier)
rules.add_perm("reviews.declare_conflict", can_declare_conflict)
rules.add_perm("reviews.edit_own_review", can_edit_review)
rules.add_perm("reviews.read_review", can_view_review)
rules.add_perm("reviews.write_note", can_write_note)
rules.add_perm("reviews.record_decision", can_decide_dossier)
rules.add_perm("reviews.see_rankings", can_see_rankings)


# --- the staff discussion of a dossier (reviews/discussion.py) ---
# Its région's reviewers (unless they declared a conflict), coordinators and the committee; never the applicants,
# the press or the administrators.
can_discuss_dossier = (
    is_staff & sees_dossier & ~has_conflict_on & (sees_all_dossiers | (is_regional_reviewer & reviews_region_of))
)
rules.add_perm("reviews.discuss_dossier", can_discuss_dossier)
