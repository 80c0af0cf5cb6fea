"""Who may use the press area and the exports (named predicates, shared by views, admin and tests)."""

import rules

from accounts.roles import Role

is_press = rules.is_group_member(Role.PRESS)
is_coordinator = rules.is_group_member(Role.COORDINATOR)

# The press sees decided laureates before publication (under embargo); coordinators supervise them.
can_use_press_area = rules.is_superuser | is_press | is_coordinator
can_manage_exports = rules.is_superuser | is_coordinator


@rules.predicate
def is_job_requester(user, job):
    return job is not None and job.requested_by_id == user.pk


# A job's file is for whoever asked for it, while they keep press access; coordinators see every job.
can_download_export = (can_use_press_area & is_job_requester) | can_manage_exports

for name, predicate in [
    ("public.use_press_area", can_use_press_area),
    ("public.manage_exports", can_manage_exports),
    ("public.download_export", can_download_export),
]:
    if not rules.perm_exists(name):
        rules.add_perm(name, predicate)
# The navigation asks the rule itself ({% test_rule %}): ``perms.`` would also load the user's model permissions
# (two queries on every page) for a permission only this rule grants.
if not rules.rule_exists("public.use_press_area"):
    rules.add_rule("public.use_press_area", can_use_press_area)
