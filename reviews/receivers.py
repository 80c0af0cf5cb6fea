"""Signal receivers of the review workflow."""

from reviews import services


def assign_reviewers_on_wave_closed(sender, *, wave, **kwargs):
    """Route the dossiers of a wave that just closed to the reviewers of their région.

    Runs inside the wave-closing transaction: the assignments and their e-mails commit with the closing marker.
    """
    services.assign_wave(wave=wave)
