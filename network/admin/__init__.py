"""Admin of the territorial network: ``antennas`` (antennas, yearly reports, the antenna log, Cnam centres) and
``views`` (the coverage map page it mounts). Imported by the admin's autodiscovery: importing ``antennas``
registers its ModelAdmins."""

from network.admin import antennas  # noqa: F401  (registers the antenna admins)
