"""Admin of the review workflow: ``workflow`` (scoring grids, reviews, assignments, conflicts, decisions),
``dossier`` (the dossier admin and its actions), ``views`` (the pages it mounts) and ``mixins`` (rules wired into
the admin). Imported by the admin's autodiscovery: importing the first two registers their ModelAdmins."""

from reviews.admin import dossier, workflow  # noqa: F401  (registers the review and dossier admins)
