"""Signals of the dossier life cycle that other apps listen to."""

from django.dispatch import Signal

# Sent with ``wave=`` once a wave's closing effects are done (drafts moved on, submitted dossiers under review),
# inside the same transaction as the closing marker: a receiver's writes (e.g. reviewer assignments and their
# e-mails) commit together with the marker, exactly once. A receiver that raises rolls the closing back and the
# sweep retries it a minute later.
wave_closed = Signal()
