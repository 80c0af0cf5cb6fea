"""Who may do what with an antenna (the ``rules`` package), shared by the views, the selectors and the admin.

- the laureate's officials (dossier owner and co-editors) report the yearly figures of their antenna;
- coordinators and administrators (permission ``network.view_all_antennas``) and superusers see every antenna;
  regional staff only those of their régions.
"""

import rules


@rules.predicate
def is_antenna_official(user, antenna) -> bool:
    if antenna is None or not user.is_authenticated:
        return False
    dossier = antenna.dossier
    return dossier.owner_id == user.pk or dossier.members.filter(user=user).exists()


@rules.predicate
def sees_all_antennas(user) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or user.has_perm("network.view_all_antennas"))
    )


@rules.predicate
def staff_sees_antenna(user, antenna) -> bool:
    if antenna is None or not (user.is_authenticated and user.is_staff):
        return False
    if sees_all_antennas(user):
        return True
    return antenna.dossier.region_id in user.staff_region_ids


rules.add_perm("network.report_figures", is_antenna_official)
rules.add_perm("network.manage_antenna", staff_sees_antenna)
