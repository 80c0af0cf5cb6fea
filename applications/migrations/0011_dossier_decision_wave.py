"""Record the wave whose publication reveals a dossier's decision (``Dossier.decision_wave``).

Existing decided dossiers: the wave of their latest recorded committee decision (``reviews.Decision.wave``, the
dossier's wave when it was taken: a postponed dossier has since moved on to the next wave), else their own wave.
"""

import django.db.models.deletion
from django.db import migrations, models

DECISION_STATUSES = ("laureate", "not_retained", "postponed")  # frozen from applications.states


def fill_decision_wave(apps, schema_editor):
    Dossier = apps.get_model("applications", "Dossier")
    Decision = apps.get_model("reviews", "Decision")
    for dossier in Dossier.objects.filter(status__in=DECISION_STATUSES, decision_wave__isnull=True).iterator():
        latest = (
            Decision.objects.filter(dossier_id=dossier.pk, outcome=dossier.status, wave__isnull=False)
            .order_by("-decided_at", "-pk").values_list("wave_id", flat=True).first()
        )
        wave_id = latest or dossier.wave_id
        if wave_id is not None:
            Dossier.objects.filter(pk=dossier.pk).update(decision_wave_id=wave_id)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0010_submission_processed_at_dossier_submitted_index"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="decision_wave",
            field=models.ForeignKey(
                blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="decided_dossiers", to="applications.wave", verbose_name="wave of the decision",
            ),
        ),
        migrations.RunPython(fill_decision_wave, migrations.RunPython.noop),
    ]
