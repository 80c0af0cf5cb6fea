"""Review.score: the completed review's score /20, stored so that rankings and dashboards aggregate one column
instead of recomputing every review from its scores. Filled here for the reviews already completed."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models


def _review_score(scores):
    # scoring.review_score as of this migration (kept here: a migration does not follow later code changes).
    scored = [s for s in scores if s.points is not None]
    total_weight = sum((s.criterion.weight for s in scored), Decimal(0))
    if not scored or total_weight == 0:
        return None
    weighted = sum((s.criterion.weight * Decimal(s.points) / Decimal(s.criterion.max_points) for s in scored), Decimal(0))
    return (Decimal(20) * weighted / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fill_scores(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    completed = Review.objects.filter(status="completed").prefetch_related("scores__criterion").order_by("pk")
    batch = []
    for review in completed.iterator(chunk_size=1000):
        review.score = _review_score(review.scores.all())
        batch.append(review)
        if len(batch) == 1000:
            Review.objects.bulk_update(batch, ["score"])
            batch = []
    Review.objects.bulk_update(batch, ["score"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0006_review_reminder_schedule")]

    operations = [
        migrations.AddField(
            model_name="review",
            name="score",
            field=models.DecimalField(
                blank=True, decimal_places=2, editable=False, max_digits=4, null=True, verbose_name="score /20"
            ),
        ),
        migrations.RunPython(fill_scores, migrations.RunPython.noop),
    ]
