"""Permission predicates on dossiers (the ``rules`` package), shared by views, selectors and the admin.

Rule names are distinct from Django's model permissions (``view_dossier``…) so the admin's own
permissions are not widened by them.
"""

import rules

from .states import EDITABLE_STATUSES


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


can_edit_dossier = is_dossier_editor & is_dossier_draft
can_manage_co_editors = is_dossier_owner & is_dossier_draft


@rules.predicate
def can_view_dossier(user, dossier) -> bool:
    """Editors, and whoever the role-based visibility lets see it (reviewers of its région, coordinators)."""
    if dossier is None or not user.is_authenticated:
        return False
    from .models import Dossier

    return Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


@rules.predicate
def is_holder_mandate_verified(user, dossier) -> bool:
    """Cnam staff verified the current holder's mandate (applications/holders.py); submission needs it."""
    return dossier is not None and dossier.is_holder_mandate_verified


@rules.predicate
def manages_holders_everywhere(user) -> bool:
    """Superusers, national coordinators and administrators act on the holders of every région's dossiers."""
    from accounts.roles import Role

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
    from . import selectors

    return selectors.dossiers_for_holder_staff(user).filter(pk=dossier.pk).exists()


rules.add_perm("applications.read_dossier", can_view_dossier)
rules.add_perm("applications.edit_dossier_content", can_edit_dossier)
rules.add_perm("applications.manage_dossier_co_editors", can_manage_co_editors)
rules.add_perm("applications.manage_holders_of_dossier", can_manage_holders)
