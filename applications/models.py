"""Campaigns (AMI), their waves, and the application dossiers cities submit to them."""

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.states import DossierStatus

PREFIX_TAKEN = _("Another campaign already uses this dossier number prefix: choose another one.")


class Campaign(models.Model):
    """A call for expressions of interest, e.g. "Au cœur des territoires — 2e AMI (2020–2021)"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_historical = models.BooleanField(
        _("historical"), default=False, help_text=_("A past campaign kept for its published results.")
    )
    reference_prefix = models.CharField(
        _("dossier number prefix"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]+$", _("Use only letters and digits (no space, no hyphen)."))],
        help_text=_(
            "Dossier numbers read PREFIX-YEAR-00042, e.g. AMI2-2026-00042. Letters and digits, unique "
            "across campaigns; left empty, it is derived from the slug."
        ),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Shown on the call's public page for questions from applicants.")
    )
    contact_details = models.TextField(
        _("contact details"), blank=True, help_text=_("Who to ask, by phone or post, shown on the call's public page.")
    )
    # Last sequence number handed out, incremented under a row lock (see services.next_dossier_reference).
    last_dossier_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            # Dossier numbers are unique across campaigns: so must their prefixes be (whatever the case).
            models.UniqueConstraint(
                Upper("reference_prefix"),
                name="campaign_reference_prefix_unique_ci",
                violation_error_message=PREFIX_TAKEN,
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Campaigns created in code (reference campaigns, demo, tests) get a free prefix too.
        self.reference_prefix = (self.reference_prefix or "").upper() or self.derived_reference_prefix()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.reference_prefix = (self.reference_prefix or "").upper() or self.derived_reference_prefix()
        if self.reference_prefix_taken(self.reference_prefix):
            raise ValidationError({"reference_prefix": PREFIX_TAKEN})

    def reference_prefix_taken(self, prefix: str) -> bool:
        """Whether another campaign already numbers its dossiers with ``prefix`` (case-insensitive)."""
        return Campaign.objects.filter(reference_prefix__iexact=prefix).exclude(pk=self.pk).exists()

    def derived_reference_prefix(self) -> str:
        """A prefix no other campaign uses, derived from the slug: ``ami-2026`` → ``AMI2026`` (then ``AMI20262``…)."""
        base = re.sub(r"[^A-Z0-9]", "", (self.slug or "").upper())[:12] or "AMI"
        candidate, number = base, 2
        while self.reference_prefix_taken(candidate):
            candidate = base[: 12 - len(str(number))] + str(number)
            number += 1
        return candidate

    def target_wave_at(self, when: datetime):
        """The wave a dossier aims for at ``when``: the wave open then, else the next one to open, else None."""
        return self.waves.targets_at(when).first()


def campaign_document_upload_to(instance, filename):
    import uuid

    return f"campaigns/{instance.campaign_id}/{uuid.uuid4().hex}.pdf"


class CampaignDocument(models.Model):
    """A public document of the call (règlement, cahier des charges…): a PDF uploaded by staff in the admin."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("PDF file"), upload_to=campaign_document_upload_to, max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("document of the call")
        verbose_name_plural = _("documents of the call")

    def __str__(self):
        return self.title


class CampaignQuestion(models.Model):
    """A question applicants ask, with the answer staff keep up to date (the call's FAQ)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self):
        return self.question


class WaveQuerySet(models.QuerySet):
    def open_at(self, when: datetime):
        return self.filter(opens_at__lte=when, closes_at__gt=when)

    def published_at(self, when: datetime):
        return self.filter(publishes_at__lte=when)

    def targets_at(self, when: datetime):
        """Waves not closed yet at ``when``, the soonest to close first. The waves of a campaign never overlap, so
        the first of a campaign's is its target wave at ``when``: the one open then, else the next one to open."""
        return self.filter(closes_at__gt=when).order_by("closes_at")

    def target_per_campaign(self, when: datetime) -> dict:
        """{campaign id: its target wave at ``when``} for the campaigns of these waves, in one query."""
        targets = {}
        for wave in self.targets_at(when):
            targets.setdefault(wave.campaign_id, wave)
        return targets


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
                Wave.objects.filter(
                    campaign_id=self.campaign_id, opens_at__lt=self.closes_at, closes_at__gt=self.opens_at
                )
                .exclude(pk=self.pk)
                .first()
            )
            if overlapping:
                errors["opens_at"] = _(
                    "This wave overlaps wave %(number)s of the same campaign (%(start)s – %(end)s)."
                ) % {
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
        from applications.queries.dossiers import dossier_ids_edited_by

        return self.filter(pk__in=dossier_ids_edited_by(user))

    def awaiting_mandate_verification(self):
        """Dossiers whose current holder's mandate is not verified (the SQL twin of ``is_holder_mandate_verified``)."""
        verified = Q(owner__isnull=False, mandate_verified_at__isnull=False, mandate_verified_for=models.F("owner"))
        return self.exclude(verified)

    def visible_to(self, user):
        """Every dossier ``user`` may look at, whatever their role (officials, reviewers, staff)."""
        from applications.queries import dossiers as selectors

        return selectors.dossiers_visible_to(user, queryset=self)

    def with_programmes(self):
        """Annotate the applicant's programmes (``is_acv``, ``is_ti``; read them as ``programme_codes``): its
        commune's memberships, or for an EPCI those of any of its communes (cities.selectors.applicant_memberships)."""
        from cities.selectors import with_programmes

        return with_programmes(self, commune_field="commune", epci_field="epci")

    def in_programme(self, code: str):
        """Dossiers whose applicant belongs to programme ``code`` (same rule as ``with_programmes``)."""
        from cities.selectors import programme_flag

        return self.with_programmes().filter(**{programme_flag(code): True})

    def with_shown_status(self, *, user, now: datetime):
        """Annotate ``shown_status`` and ``shown_decided_at``: what ``user`` may see of each dossier at ``now``.

        A decision (laureate, not retained, postponed) and its date are confidential until the publication of the
        wave it was taken in, except for the staff who may know it (rules.knows_decisions_early): everyone else
        sees "under review" and no date. Lists, filters, counts and exports filter and count on ``shown_status``.
        """
        from applications import rules

        return self.annotate(**rules.shown_status_annotations(user=user, now=now))

    def decision_published_at(self, now: datetime):
        """Dossiers whose decision is public at ``now`` (decided, and their decision's wave published)."""
        from applications import rules

        return self.filter(rules.decision_published_q(now))


class Dossier(models.Model):
    """A territory's application to a campaign. One per territory (commune or EPCI) per campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="dossiers"
    )
    wave = models.ForeignKey(
        Wave,
        verbose_name=_("wave"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("The wave the dossier aims for, then the wave it was submitted to."),
    )
    reference = models.CharField(_("dossier number"), max_length=32, unique=True)
    commune = models.ForeignKey(
        "cities.Commune",
        verbose_name=_("applicant commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    epci = models.ForeignKey(
        "cities.Epci",
        verbose_name=_("applicant intercommunality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Denormalised from the applicant, for routing to regional reviewers and for filtering.
    region = models.ForeignKey(
        "cities.Region",
        verbose_name=_("région"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_dossiers",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT, db_index=True
    )
    title = models.CharField(_("project title"), max_length=200, blank=True)
    public_summary = models.TextField(
        _("short public summary"),
        blank=True,
        max_length=1500,
        help_text=_("Published with the results if the city is a laureate."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision date"), null=True, blank=True)
    # The wave whose publication reveals the current decision: the dossier's wave when the decision was taken
    # (set by states.transition_dossier). Not ``wave``: a postponed dossier moves on to the next wave once its
    # postponement is published (lifecycle._carry_postponed_over). See rules.decision_published_q.
    decision_wave = models.ForeignKey(
        Wave,
        verbose_name=_("wave of the decision"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="decided_dossiers",
    )

    # --- Content, by section (see applications/domain/sections.py). Blank until filled in: required-ness is checked
    # only at submission (completeness.dossier_completeness), so a draft can be saved over several sittings.
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
        _("co-financing by the territory (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cofinancing_region = models.DecimalField(
        _("co-financing by the région (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cofinancing_other = models.DecimalField(
        _("other co-financing (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_comments = models.TextField(_("budget comments"), blank=True, max_length=3000)
    # 7. Project lead and contacts
    lead_name = models.CharField(_("project lead's name"), max_length=150, blank=True)
    lead_role = models.CharField(_("project lead's position"), max_length=150, blank=True)
    lead_email = models.EmailField(_("project lead's e-mail"), blank=True)
    lead_phone = models.CharField(_("project lead's phone"), max_length=32, blank=True)
    other_contacts = models.TextField(_("other contacts"), blank=True, max_length=2000)

    # --- The holder's mandate, verified by Cnam regional staff (applications/domain/holders.py). The verification holds
    # for the owner it was made for only: after a transfer it no longer counts (see is_holder_mandate_verified).
    mandate_verified_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mandate verified for"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mandate_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mandate verified by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mandate_verified_at = models.DateTimeField(_("mandate verified at"), null=True, blank=True, editable=False)
    mandate_basis = models.CharField(_("basis of the verification"), max_length=500, blank=True, editable=False)

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
            ("manage_dossier_holders", _("Can verify and change the holders of dossiers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune"],
                condition=Q(commune__isnull=False),
                name="one_dossier_per_commune_per_campaign",
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
        # The review changelist sorts by ("-submitted_at", "reference"): an index in that order serves it.
        indexes = [models.Index(fields=["-submitted_at", "reference"], name="dossier_submitted_at_idx")]

    def __str__(self):
        return f"{self.reference} — {self.applicant_name}"

    def save(self, *args, **kwargs):
        if self.region_id is None:
            self.region_id = (
                self.commune.region_id if self.commune_id else (self.epci.region_id if self.epci_id else None)
            )
        super().save(*args, **kwargs)

    @property
    def applicant(self):
        return self.commune or self.epci

    @property
    def is_holder_mandate_verified(self) -> bool:
        """Cnam staff verified the mandate of the current owner (a verification made for a previous owner does
        not count)."""
        return (
            self.owner_id is not None
            and self.mandate_verified_at is not None
            and self.mandate_verified_for_id == self.owner_id
        )

    @property
    def applicant_name(self) -> str:
        return str(self.commune.name if self.commune_id else self.epci.name if self.epci_id else "")

    @property
    def applicant_code(self) -> str:
        """The applicant's public code, in the laureate page's URL: the commune's INSEE code, or the EPCI's SIREN."""
        return self.commune.insee_code if self.commune_id else self.epci.siren if self.epci_id else ""

    @property
    def programme_codes(self) -> list[str]:
        """The applicant's programme codes, ACV first; the dossier must come from ``with_programmes()``."""
        from cities.models import Programme
        from cities.selectors import programme_flag

        return [code for code in Programme.values if getattr(self, programme_flag(code))]

    @property
    def programme_labels(self) -> list[str]:
        from cities.models import Programme

        return [str(Programme(code).label) for code in self.programme_codes]

    def get_shown_status_display(self) -> str:
        """The label of ``shown_status``, annotated by ``Dossier.objects.with_shown_status(user=..., now=...)``."""
        return DossierStatus(self.shown_status).label

    def set_shown_status(self, *, user, now: datetime) -> "Dossier":
        """Set ``shown_status`` and ``shown_decided_at`` on this one loaded dossier, as ``with_shown_status``
        annotates a list (the rule's Python twin, tested with it): a page of one dossier does not build the SQL.
        Load it with ``select_related("wave", "decision_wave")``."""
        from applications import rules

        self.shown_status = rules.shown_status(user, self, now=now)
        self.shown_decided_at = rules.shown_decided_at(user, self, now=now)
        return self


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


class InvitationState(models.TextChoices):
    VALID = "valid", _("Valid")
    USED = "used", _("Already used")
    REVOKED = "revoked", _("Cancelled")
    EXPIRED = "expired", _("Expired")


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
    # The invitee asked the owner for a new link (once: the page then says the request was sent).
    renewal_requested_at = models.DateTimeField(_("new link requested at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("co-editor invitation")
        verbose_name_plural = _("co-editor invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.dossier_id}"

    @property
    def is_pending(self) -> bool:
        """Neither accepted nor revoked (it may still have expired: see ``state_at``)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def expires_at(self) -> datetime:
        """The first instant at which the link no longer works (``INVITATION_VALIDITY_DAYS`` after sending)."""
        return self.created_at + timezone.timedelta(days=settings.INVITATION_VALIDITY_DAYS)

    def state_at(self, when: datetime) -> str:
        """``valid``, ``used``, ``revoked`` or ``expired`` at ``when``: derived from the dates, never stored.

        An invitation revoked after it had expired (e.g. replaced by a new one) reads as expired."""
        if self.accepted_at is not None:
            return InvitationState.USED
        if self.expires_at <= (self.revoked_at or when):
            return InvitationState.EXPIRED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        return InvitationState.VALID

    def is_valid_at(self, when: datetime) -> bool:
        return self.state_at(when) == InvitationState.VALID


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class DossierJoinRequest(models.Model):
    """An official of the territory asks to co-edit its dossier; the holder (or Cnam staff) answers."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="join_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "requester"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            ),
        ]

    def __str__(self):
        return f"{self.requester} → {self.dossier_id}"


class HolderAction(models.TextChoices):
    MANDATE_VERIFIED = "mandate_verified", _("Mandate verified")
    MANDATE_REVOKED = "mandate_revoked", _("Mandate verification revoked")
    TRANSFERRED = "transferred", _("Dossier transferred to another holder")
    OWNER_REMOVED = "owner_removed", _("Holder removed")
    CO_EDITOR_REMOVED = "co_editor_removed", _("Co-editor removed")
    JOIN_ACCEPTED = "join_accepted", _("Request to join accepted")
    JOIN_REFUSED = "join_refused", _("Request to join refused")


class DossierHolderLog(models.Model):
    """Append-only audit log of who holds a dossier: mandate verifications, transfers, removals, join answers."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="holder_log")
    action = models.CharField(_("action"), max_length=20, choices=HolderAction.choices)
    concerning = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("basis or reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("holder log entry")
        verbose_name_plural = _("holder log")

    def __str__(self):
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class DossierTransition(models.Model):
    """Append-only log of every status change: who, when, why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=DossierStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=DossierStatus.choices)
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
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.dossier.reference}: {self.from_status} → {self.to_status}"


class DossierWaveMove(models.Model):
    """Append-only log of every move of a dossier to another wave made by the wave lifecycle (a draft carried over
    at closing, a postponed dossier carried over at publication): from where, to where, when, why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="wave_moves")
    from_wave = models.ForeignKey(
        Wave, verbose_name=_("from wave"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # None: the campaign had no wave left to move to.
    to_wave = models.ForeignKey(
        Wave, verbose_name=_("to wave"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
        verbose_name = _("wave change")
        verbose_name_plural = _("wave changes")

    def __str__(self):
        return f"{self.dossier_id}: {self.from_wave_id} → {self.to_wave_id}"


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

# What it takes to obtain each required document, told to applicants before they sign up.
REQUIRED_ATTACHMENT_LEAD_TIMES = {
    AttachmentKind.COMMITMENT_LETTER: _("A few days: signed by the mayor or the president."),
    AttachmentKind.COUNCIL_DELIBERATION: _(
        "Several weeks: it needs a vote of the municipal or community council, so plan it at the next meeting."
    ),
    AttachmentKind.BUDGET_TABLE: _(
        "One to two weeks: the project's budget with its co-financing, prepared by your services."
    ),
}


def attachment_upload_to(instance, filename):
    """A generated name, never the user's: dossiers/<dossier id>/<uuid><ext chosen from the detected type>."""
    import uuid

    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}{instance.extension}"


class CheckedDocument(models.Model):
    """What is kept of an uploaded document that passed attachments.check_upload: the cleaned name, the detected
    type, its size and fingerprint. Each concrete model adds its ``file`` (where it is stored) and what it belongs to."""

    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("detected type"), max_length=120)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        """The user's file name as shown on pages: cleaned again, for rows stored before bidi characters were removed."""
        from applications.domain.attachments import sanitize_display_name

        return sanitize_display_name(self.original_name)


class Attachment(CheckedDocument):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("document type"), max_length=40, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.display_name}"


class Submission(models.Model):
    """One submission of a dossier: the frozen snapshot and its fingerprint, as stated on the receipt."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="submissions")
    wave = models.ForeignKey(Wave, verbose_name=_("wave"), on_delete=models.PROTECT, related_name="submissions")
    # The instant the submission counts as made, judged against the deadline: the request's arrival
    # (ami_portal/arrival.py), not the moment the server got round to it under load.
    submitted_at = models.DateTimeField(_("submitted at"))
    # When the server processed it (seconds after submitted_at at a deadline rush); null for older rows.
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
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


class DossierReminder(models.Model):
    """Marker: this dossier's editors were reminded of this wave's deadline at this threshold (14d, 3d, 24h).

    Unique per (dossier, wave, threshold) and created in the transaction that queues the e-mails, so two reminder
    runs at once (two beats by mistake) remind each dossier once: the second insert waits for the first, then
    conflicts and skips the dossier (``applications.domain.lifecycle.send_reminders``).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    threshold = models.CharField(max_length=8)
    queued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "wave", "threshold"], name="dossier_reminder_once"),
        ]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")

    def __str__(self):
        return f"{self.dossier_id} · {self.wave_id} · {self.threshold}"


class DossierMessage(models.Model):
    """A message of the thread between the instructing staff and the dossier's officials (append-only)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField(_("from the Cnam"), default=False)
    requests_document = models.BooleanField(
        _("requests a document"), default=False, help_text=_("The Cnam asks the applicants for a document.")
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("dossier message")
        verbose_name_plural = _("dossier messages")

    def __str__(self):
        return f"{self.dossier_id} {self.created_at:%Y-%m-%d %H:%M}"


def message_file_upload_to(instance, filename):
    import uuid

    return f"messages/{instance.message.dossier_id}/{uuid.uuid4().hex}{instance.extension}"


class DossierMessageFile(CheckedDocument):
    """A document sent with a message, checked like the dossier's attachments and served through a permission check."""

    message = models.OneToOneField(DossierMessage, on_delete=models.CASCADE, related_name="file")
    file = models.FileField(_("file"), upload_to=message_file_upload_to, max_length=255)

    class Meta:
        verbose_name = _("document sent with a message")
        verbose_name_plural = _("documents sent with messages")

    def __str__(self):
        return self.display_name
