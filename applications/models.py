"""Campaigns (AMI), their waves, and the application dossiers cities submit to them."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
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
    reference_prefix = models.CharField(
        _("dossier number prefix"), max_length=12, default="AMI",
        help_text=_("Dossier numbers read PREFIX-YEAR-00042, e.g. AMI2-2026-00042."),
    )
    # Last sequence number handed out, incremented under a row lock (see services.next_dossier_reference).
    last_dossier_number = models.PositiveIntegerField(default=0, editable=False)
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
    def last_instant(self) -> datetime:
        """The last second at which a submission is accepted (``closes_at`` is the first refused instant)."""
        return self.closes_at - timezone.timedelta(seconds=1)

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

    def with_shown_status(self, *, user, now: datetime):
        """Annotate ``shown_status`` and ``shown_decided_at``: what ``user`` may see of each dossier at ``now``.

        A decision (laureate, not retained, postponed) and its date are confidential until the publication of the
        wave it was taken in, except for the staff who may know it (rules.knows_decisions_early): everyone else
        sees "under review" and no date. Lists, filters, counts and exports filter and count on ``shown_status``.
        """
        from . import rules

        return self.annotate(**rules.shown_status_annotations(user=user, now=now))

    def decision_published_at(self, now: datetime):
        """Dossiers whose decision is public at ``now`` (decided, and their decision's wave published)."""
        from . import rules

        return self.filter(rules.decision_published_q(now))


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
    # The wave whose publication reveals the current decision: the dossier's wave when the decision was taken
    # (set by states.transition_dossier). Not ``wave``: a postponed dossier moves on to the next wave once its
    # postponement is published (lifecycle._carry_postponed_over). See rules.decision_published_q.
    decision_wave = models.ForeignKey(
        Wave, verbose_name=_("wave of the decision"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="decided_dossiers",
    )

    # --- Content, by section (see applications/sections.py). Blank until filled in: required-ness is checked
    # only at submission (services.dossier_completeness), so a draft can be saved over several sittings.
    # 1. The territory and its employment basin
    territory_presentation = models.TextField(_("presentation of the territory"), blank=True, max_length=5000)
    employment_basin = models.TextField(_("employment basin"), blank=True, max_length=5000)
    # 2. Skills in shortage and the industries that need them
    skills_in_shortage = models.TextField(_("skills in shortage"), blank=True, max_length=5000)
    industries = models.TextField(_("industries that need them"), blank=True, max_length=3000)
    # 3. Training offer wanted
    training_courses = models.TextField(_("Cnam courses wanted"), blank=True, max_length=5000)
    training_levels = models.CharField(_("qualification levels"), max_length=200, blank=True)
    expected_learners_per_year = models.PositiveIntegerField(_("expected learners per year"), null=True, blank=True)
    # 5. Premises offered
    premises_address = models.CharField(_("address of the premises"), max_length=300, blank=True)
    premises_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    premises_description = models.TextField(_("description of the premises"), blank=True, max_length=5000)
    premises_available_from = models.DateField(_("available from"), null=True, blank=True)
    # 6. Budget and co-financing (euros)
    budget_total = models.DecimalField(
        _("total budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cofinancing_territory = models.DecimalField(
        _("co-financing by the territory (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    cofinancing_region = models.DecimalField(
        _("co-financing by the région (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    cofinancing_other = models.DecimalField(
        _("other co-financing (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_comments = models.TextField(_("budget comments"), blank=True, max_length=3000)
    # 7. Project lead and contacts
    lead_name = models.CharField(_("project lead's name"), max_length=150, blank=True)
    lead_role = models.CharField(_("project lead's position"), max_length=150, blank=True)
    lead_email = models.EmailField(_("project lead's e-mail"), blank=True)
    lead_phone = models.CharField(_("project lead's phone"), max_length=32, blank=True)
    other_contacts = models.TextField(_("other contacts"), blank=True, max_length=2000)

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
            models.CheckConstraint(
                condition=(
                    (Q(budget_total__isnull=True) | Q(budget_total__gte=0))
                    & (Q(cofinancing_territory__isnull=True) | Q(cofinancing_territory__gte=0))
                    & (Q(cofinancing_region__isnull=True) | Q(cofinancing_region__gte=0))
                    & (Q(cofinancing_other__isnull=True) | Q(cofinancing_other__gte=0))
                ),
                name="dossier_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.applicant_name}"

    def save(self, *args, **kwargs):
        if self.region_id is None:
            self.region_id = self.commune.region_id if self.commune_id else (self.epci.region_id if self.epci_id else None)
        super().save(*args, **kwargs)

    @property
    def applicant(self):
        return self.commune or self.epci

    @property
    def applicant_name(self) -> str:
        return str(self.commune.name if self.commune_id else self.epci.name if self.epci_id else "")

    def get_shown_status_display(self) -> str:
        """The label of ``shown_status``, annotated by ``Dossier.objects.with_shown_status(user=..., now=...)``."""
        return DossierStatus(self.shown_status).label


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

    def __str__(self):
        return f"{self.user} → {self.dossier_id}"


class PartnerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency (France Travail, mission locale…)")
    SCHOOL = "school", _("School, university or training body")
    PUBLIC_BODY = "public_body", _("Public body or association")
    OTHER = "other", _("Other")


class DossierPartner(models.Model):
    """A local partner of the project and what it commits to (section 4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("partner's name"), max_length=200)
    kind = models.CharField(_("kind of partner"), max_length=30, choices=PartnerKind.choices)
    commitment = models.TextField(_("commitment"), max_length=2000)
    contact = models.CharField(_("contact (name, e-mail or phone)"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class DossierChange(models.Model):
    """Append-only attribution of content edits: who changed which fields of which section, and when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="changes")
    section = models.CharField(_("section"), max_length=30)
    fields = models.JSONField(_("changed fields"), default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("dossier change")
        verbose_name_plural = _("dossier changes")
        indexes = [models.Index(fields=["dossier", "section", "-at"], name="dossier_change_section_idx")]

    def __str__(self):
        return f"{self.dossier_id} {self.section} {self.at:%Y-%m-%d %H:%M}"


class DossierInvitation(models.Model):
    """An invitation to co-edit a dossier, sent by e-mail; the link works once, for that address only."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("co-editor invitation")
        verbose_name_plural = _("co-editor invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "email"], condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.dossier_id}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


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
