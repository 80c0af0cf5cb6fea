"""Campaigns (AMI), their waves, and the application dossiers cities submit to them."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .states import DossierStatus


class Campaign(models.Model):
    """A call for expressions of interest, e.g. "Au cœur des territoires — 2e AMI (2020–2021)"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_historical = models.BooleanField(
        _("historical"), default=False, help_text=_("A past campaign kept for its published results.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    def wave_open_at(self, when: datetime):
        """The wave accepting submissions at ``when``, or None."""
        return self.waves.filter(opens_at__lte=when, closes_at__gt=when).first()

    def next_wave_after(self, when: datetime):
        """The first wave that has not closed yet at ``when`` (open now or opening later), or None."""
        return self.waves.filter(closes_at__gt=when).order_by("closes_at").first()


class WaveQuerySet(models.QuerySet):
    def open_at(self, when: datetime):
        return self.filter(opens_at__lte=when, closes_at__gt=when)

    def published_at(self, when: datetime):
        return self.filter(publishes_at__lte=when)


class Wave(models.Model):
    """A submission window of a campaign. Open means ``opens_at <= now < closes_at``: derived, never stored."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField(_("number"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"), help_text=_("First instant at which submissions are no longer accepted (Europe/Paris).")
    )
    publishes_at = models.DateTimeField(
        _("results published at"), help_text=_("Decisions stay confidential until this instant.")
    )
    # Markers of after-effects already done (set by Celery tasks, under a row lock).
    closed_effects_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_effects_done_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = WaveQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="unique_wave_number_per_campaign"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="wave_closes_after_opening"),
        ]

    def __str__(self):
        return _("%(campaign)s — wave %(number)s") % {"campaign": self.campaign, "number": self.number}

    def is_open_at(self, when: datetime) -> bool:
        return self.opens_at <= when < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    def is_published_at(self, when: datetime) -> bool:
        return self.publishes_at <= when

    @property
    def is_published(self) -> bool:
        return self.is_published_at(timezone.now())

    @property
    def last_day(self):
        """The last calendar day (Europe/Paris) on which submissions are accepted."""
        return timezone.localtime(self.closes_at - timezone.timedelta(microseconds=1)).date()

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing date must be after the opening date.")
        if self.closes_at and self.publishes_at and self.publishes_at < self.closes_at:
            errors["publishes_at"] = _("Results cannot be published before the wave closes.")
        if not errors and self.campaign_id and self.opens_at and self.closes_at:
            overlapping = (
                Wave.objects.filter(campaign_id=self.campaign_id, opens_at__lt=self.closes_at, closes_at__gt=self.opens_at)
                .exclude(pk=self.pk)
                .first()
            )
            if overlapping:
                errors["opens_at"] = _("This wave overlaps wave %(number)s of the same campaign (%(start)s – %(end)s).") % {
                    "number": overlapping.number,
                    "start": timezone.localtime(overlapping.opens_at).strftime("%d/%m/%Y %H:%M"),
                    "end": timezone.localtime(overlapping.closes_at).strftime("%d/%m/%Y %H:%M"),
                }
        if errors:
            raise ValidationError(errors)


class DossierQuerySet(models.QuerySet):
    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(members__user=user)).distinct()

    def visible_to(self, user):
        """Every dossier ``user`` may look at, whatever their role (officials, reviewers, staff)."""
        from . import selectors

        return selectors.dossiers_visible_to(user, queryset=self)


class Dossier(models.Model):
    """A territory's application to a campaign. One per territory (commune or EPCI) per campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="dossiers")
    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers",
        help_text=_("The wave the dossier aims for, then the wave it was submitted to."),
    )
    reference = models.CharField(_("dossier number"), max_length=32, unique=True)
    commune = models.ForeignKey(
        "cities.Commune", verbose_name=_("applicant commune"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    epci = models.ForeignKey(
        "cities.Epci", verbose_name=_("applicant intercommunality"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Denormalised from the applicant, for routing to regional reviewers and for filtering.
    region = models.ForeignKey(
        "cities.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_dossiers",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT, db_index=True
    )
    title = models.CharField(_("project title"), max_length=200, blank=True)
    public_summary = models.TextField(
        _("short public summary"), blank=True, max_length=1500,
        help_text=_("Published with the results if the city is a laureate."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        permissions = [
            ("view_all_dossiers", _("Can see the dossiers of every région")),
            ("decide_dossier", _("Can record the committee's decision")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune"], condition=Q(commune__isnull=False), name="one_dossier_per_commune_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["campaign", "epci"], condition=Q(epci__isnull=False), name="one_dossier_per_epci_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(commune__isnull=False, epci__isnull=True) | Q(commune__isnull=True, epci__isnull=False),
                name="dossier_has_exactly_one_applicant",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.applicant_name}"

    @property
    def applicant(self):
        return self.commune or self.epci

    @property
    def applicant_name(self) -> str:
        return str(self.commune.name if self.commune_id else self.epci.name if self.epci_id else "")

    def save(self, *args, **kwargs):
        if self.region_id is None:
            self.region_id = self.commune.region_id if self.commune_id else (self.epci.region_id if self.epci_id else None)
        super().save(*args, **kwargs)


class DossierMember(models.Model):
    """A co-editor invited by the owner."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_memberships")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-editor")
        verbose_name_plural = _("co-editors")
        constraints = [models.UniqueConstraint(fields=["dossier", "user"], name="unique_dossier_member")]


class DossierTransition(models.Model):
    """Append-only log of every status change: who, when, why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=DossierStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=DossierStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.dossier.reference}: {self.from_status} → {self.to_status}"


class AttachmentKind(models.TextChoices):
    COMMITMENT_LETTER = "commitment_letter", _("Letter of commitment signed by the mayor or president")
    COUNCIL_DELIBERATION = "council_deliberation", _("Council deliberation")
    BUDGET_TABLE = "budget_table", _("Budget table")
    PARTNER_LETTER = "partner_letter", _("Partner's letter of support")
    PREMISES_PLAN = "premises_plan", _("Plan or photos of the premises")
    OTHER = "other", _("Other document")


REQUIRED_ATTACHMENT_KINDS = (
    AttachmentKind.COMMITMENT_LETTER,
    AttachmentKind.COUNCIL_DELIBERATION,
    AttachmentKind.BUDGET_TABLE,
)


def attachment_upload_to(instance, filename):
    """A generated name, never the user's: dossiers/<dossier id>/<uuid><ext chosen from the detected type>."""
    import uuid

    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("document type"), max_length=40, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("detected type"), max_length=120)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"


class Submission(models.Model):
    """One submission of a dossier: the frozen snapshot and its fingerprint, as stated on the receipt."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="submissions")
    wave = models.ForeignKey(Wave, verbose_name=_("wave"), on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(_("snapshot"))
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        get_latest_by = "submitted_at"

    def __str__(self):
        return f"{self.dossier.reference} — {self.submitted_at:%Y-%m-%d %H:%M:%S}"
