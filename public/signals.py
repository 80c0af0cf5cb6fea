"""Every write the public pages show moves the publication state (``public.page_cache``), whoever makes it: the
state machine, the publication lifecycle, the admin, an import or the shell. Draft and submitted dossiers are not
public, so the submissions of a deadline rush never touch it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from applications.models import Campaign, CampaignDocument, CampaignQuestion, Dossier, DossierTransition, Wave
from applications.states import DECISION_STATUSES
from network.models import Antenna, AntennaReport, CnamCentre

from .models import WavePublicationSettings
from .page_cache import publication_state_changed

SHOWN_AS_IS = (Campaign, CampaignDocument, CampaignQuestion, Wave, WavePublicationSettings, Antenna, AntennaReport)


def _changed(sender, **kwargs):
    publication_state_changed()


for model in (*SHOWN_AS_IS, CnamCentre):
    post_save.connect(_changed, sender=model, dispatch_uid=f"public-state-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"public-state-delete-{model.__name__}")


@receiver(post_save, sender=Dossier, dispatch_uid="public-state-dossier-save")
@receiver(post_delete, sender=Dossier, dispatch_uid="public-state-dossier-delete")
def _decided_dossier_changed(sender, instance, **kwargs):
    """A decided dossier is (or will be) on the results pages; any edit of it counts."""
    if instance.status in DECISION_STATUSES:
        publication_state_changed()


@receiver(post_save, sender=DossierTransition, dispatch_uid="public-state-decision-withdrawn")
def _decision_withdrawn(sender, instance, created, **kwargs):
    """Leaving a decision status (the dossier itself is no longer decided, so the signal above stays silent)."""
    if created and instance.from_status in DECISION_STATUSES:
        publication_state_changed()
