"""Who may use the staff API: the people who may open the dossier list of the admin, nobody else."""

import rules


@rules.predicate
def may_use_staff_api(user) -> bool:
    """Active Cnam staff holding the admin's dossier view permission (reviewers, coordinators, committee,
    administrators, superusers). Officials and the press are not staff: the staff API refuses them."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("applications.view_dossier")
    )
