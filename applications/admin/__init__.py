"""Admin of the applications app: campaigns and waves (``campaigns``) and the holder pages (``holders``), which the
dossier admin (reviews/admin/dossier.py) mounts. Imported by the admin's autodiscovery: importing ``campaigns``
registers its ModelAdmins."""

from applications.admin import campaigns  # noqa: F401  (registers the campaign and wave admins)
