"""Review of submitted dossiers: scoring grids, reviewer assignments, conflicts, reviews, notes and decisions."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.states import DECISION_CHOICES

GRID_LOCKED_MESSAGE = _(
    "Reviews have already been written with this scoring grid: its criteria can no longer be changed, "
    "otherwise the scores already given would no longer be comparable."
)


class ScoringGrid(models.Model):
    """The scoring grid of a campaign: its criteria, each weighted and scored out of its own scale."""

    campaign = models.OneToOneField(
        "applications.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="scoring_grid"
    )
    instructions = models.TextField(_("instructions for reviewers"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scoring grid")
        verbose_name_plural = _("scoring grids")

    def __str__(self):
        return str(_("Scoring grid — %(campaign)s") % {"campaign": self.campaign})

    @property
    def is_locked(self) -> bool:
        """Locked as soon as one review (even a draft) exists for a dossier of the campaign."""
        return bool(self.campaign_id) and Review.objects.filter(dossier__campaign_id=self.campaign_id).exists()

    def clean(self):
        if self.pk:
            previous = ScoringGrid.objects.filter(pk=self.pk).values_list("campaign_id", flat=True).first()
            if previous != self.campaign_id and ScoringGrid(campaign_id=previous).is_locked:
                raise ValidationError(GRID_LOCKED_MESSAGE)


class Criterion(models.Model):
    grid = models.ForeignKey(
        ScoringGrid, verbose_name=_("scoring grid"), on_delete=models.CASCADE, related_name="criteria"
    )
    label = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what reviewers look at"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_points = models.PositiveSmallIntegerField(
        _("scale (maximum points)"), default=5, validators=[MinValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["grid", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_scale_positive"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.grid_id and self._changes_scoring() and self.grid.is_locked:
            raise ValidationError(GRID_LOCKED_MESSAGE)

    def _changes_scoring(self) -> bool:
        if self.pk is None:
            return True
        previous = Criterion.objects.filter(pk=self.pk).values("grid_id", "label", "weight", "max_points").first()
        current = {"grid_id": self.grid_id, "label": self.label, "weight": self.weight, "max_points": self.max_points}
        return previous is None or any(previous[k] != current[k] for k in current)


class Assignment(models.Model):
    """A reviewer asked to review a dossier. Released when the reviewer declares a conflict of interest."""

    dossier = models.ForeignKey(
        "applications.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["dossier", "reviewer"], name="one_assignment_per_reviewer")]

    def __str__(self):
        return f"{self.dossier.reference} → {self.reviewer}"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they cannot review a dossier (e.g. they are linked to the city)."""

    dossier = models.ForeignKey(
        "applications.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["dossier", "reviewer"], name="one_conflict_per_reviewer")]

    def __str__(self):
        return str(_("Conflict of interest declared on %(reference)s") % {"reference": self.dossier.reference})


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn (conflict of interest)")


class Review(models.Model):
    """One reviewer's scores on one dossier. Counts in the dossier's score only once completed."""

    dossier = models.ForeignKey(
        "applications.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    comment = models.TextField(_("overall comment"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The completed review's score /20 (scoring.review_score of its scores), stored by services.complete_review:
    # a completed review is never edited again, so rankings, spreads and calibration aggregate this column instead
    # of recomputing every review from its scores. Empty while a draft (read score_out_of_20 there).
    score = models.DecimalField(_("score /20"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["dossier", "created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["dossier", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self):
        return str(
            _("Review of %(reference)s by %(reviewer)s")
            % {
                "reference": self.dossier.reference,
                "reviewer": self.reviewer,
            }
        )

    @property
    def is_completed(self) -> bool:
        return self.status == ReviewStatus.COMPLETED

    @property
    def score_out_of_20(self) -> Decimal | None:
        """Weighted score normalised to /20 over the scored criteria (uses prefetched ``scores__criterion``)."""
        from reviews.scoring import review_score

        return review_score(list(self.scores.all()))


class ReviewTransition(models.Model):
    """Append-only log of every status change of a review (completed, withdrawn on a conflict): who, when, why."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=ReviewStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ReviewStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review status change")
        verbose_name_plural = _("review status changes")

    def __str__(self):
        return f"{self.review_id}: {self.from_status} → {self.to_status}"


class Score(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    class Meta:
        ordering = ["criterion__position", "criterion__pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        points = self.points if self.points is not None else "—"
        return str(_("%(criterion)s: %(points)s") % {"criterion": self.criterion, "points": points})

    def clean(self):
        if self.points is not None and self.criterion_id and self.points > self.criterion.max_points:
            raise ValidationError(
                {
                    "points": _("At most %(max)s points for this criterion.")
                    % {
                        "max": self.criterion.max_points,
                    }
                }
            )


class InternalNote(models.Model):
    """A note between Cnam staff on a dossier; never shown to the applicants."""

    dossier = models.ForeignKey(
        "applications.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return f"{self.dossier_id} — {self.created_at:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    """The committee's decision on a dossier, with its justification: append-only, next to its status change."""

    dossier = models.ForeignKey(
        "applications.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="decisions"
    )
    wave = models.ForeignKey(
        "applications.Wave", verbose_name=_("wave"), null=True, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=DECISION_CHOICES)
    justification = models.TextField(_("justification"), max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("recorded at"))
    transition = models.OneToOneField(
        "applications.DossierTransition",
        verbose_name=_("status change"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.dossier.reference}: {self.get_outcome_display()}"


class DiscussionMessage(models.Model):
    """One message of a dossier's staff discussion (its région's reviewers, coordinators, committee): append-only,
    never shown to the applicants (reviews/discussion.py)."""

    dossier = models.ForeignKey(
        "applications.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="discussion_messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")

    def __str__(self):
        return f"{self.dossier_id} — {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A discussion message cannot be changed once written."))
        super().save(*args, **kwargs)


class ReviewDeadline(models.Model):
    """The date by which the reviewers of a wave's dossiers should have completed their reviews (shown in their
    queue; reminders 3 days and 1 day before, ``reviews.reminders``)."""

    wave = models.OneToOneField(
        "applications.Wave", verbose_name=_("wave"), on_delete=models.CASCADE, related_name="review_deadline"
    )
    due_at = models.DateTimeField(_("reviews due"))

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("review due date")
        verbose_name_plural = _("review due dates")

    def __str__(self):
        return str(_("Reviews of %(wave)s due") % {"wave": self.wave})


class ReviewReminder(models.Model):
    """Marker of a reminder sent to a reviewer for a wave at a threshold ("3d", "1d"): at most one each."""

    wave = models.ForeignKey("applications.Wave", verbose_name=_("wave"), on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="+"
    )
    threshold = models.CharField(_("threshold"), max_length=8)
    sent_at = models.DateTimeField(_("queued at"))

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["wave", "reviewer", "threshold"], name="one_review_reminder_per_threshold")
        ]

    def __str__(self):
        return f"{self.wave_id}:{self.reviewer_id}:{self.threshold}"
