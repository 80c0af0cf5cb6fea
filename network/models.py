"""The territorial network: each laureate's antenna and its milestones, yearly figures, the change log, Cnam centres.

An antenna's status is never stored: it is derived from its milestone dates at a given day (see ``status.py``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .status import AntennaStatus, antenna_status


def convention_upload_to(instance, filename):
    """A generated name, never the uploader's: network/conventions/<antenna id>/<uuid>.pdf (private storage)."""
    import uuid

    return f"network/conventions/{instance.pk or 'new'}/{uuid.uuid4().hex}.pdf"


class Antenna(models.Model):
    """The Cnam antenna a laureate dossier leads to, told by its milestones."""

    dossier = models.OneToOneField(
        "applications.Dossier", verbose_name=_("laureate dossier"), on_delete=models.PROTECT, related_name="antenna"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    convention_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    convention_pdf = models.FileField(
        _("signed agreement (PDF)"), upload_to=convention_upload_to, max_length=255, blank=True
    )
    opening_planned_on = models.DateField(_("opening planned on"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    training_paths = models.TextField(
        _("training paths opened"), blank=True, max_length=3000, help_text=_("One training path per line.")
    )
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    interruption_reason = models.TextField(_("reason for the suspension or closure"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["dossier__commune__name", "dossier__epci__name"]
        verbose_name = _("antenna")
        verbose_name_plural = _("antennas")
        permissions = [("view_all_antennas", _("Can see the antennas of every région"))]

    def __str__(self):
        return str(self.dossier.applicant_name)

    def status_on(self, day) -> AntennaStatus:
        return antenna_status(self, day)

    @property
    def training_path_list(self) -> list[str]:
        return [line.strip() for line in self.training_paths.splitlines() if line.strip()]

    def clean(self):
        errors = {}
        if self.opened_on and not self.convention_signed_on:
            errors["opened_on"] = _("An antenna opens after its agreement is signed: enter the signature date first.")
        elif self.opened_on and self.opened_on < self.convention_signed_on:
            errors["opened_on"] = _("The opening date cannot be before the agreement's signature.")
        if self.convention_pdf and not self.convention_signed_on:
            errors["convention_signed_on"] = _("Enter the date the agreement was signed.")
        if (self.suspended_on or self.closed_on) and not self.interruption_reason.strip():
            errors["interruption_reason"] = _("Give the reason for the suspension or closure.")
        if self.suspended_on and not self.opened_on:
            errors["suspended_on"] = _("Only an open antenna can be suspended.")
        if self.closed_on and self.suspended_on and self.closed_on < self.suspended_on:
            errors["closed_on"] = _("The closing date cannot be before the suspension.")
        if errors:
            raise ValidationError(errors)


class AntennaReport(models.Model):
    """The figures of one year reported by the laureate's officials; staff validate them."""

    antenna = models.ForeignKey(Antenna, verbose_name=_("antenna"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    enrolments = models.PositiveIntegerField(_("enrolments (entrées en formation)"))
    training_paths = models.TextField(_("training paths run this year"), blank=True, max_length=3000)
    comment = models.TextField(_("comment"), blank=True, max_length=3000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("reported at"))
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    class Meta:
        ordering = ["antenna", "-year"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        constraints = [models.UniqueConstraint(fields=["antenna", "year"], name="one_report_per_antenna_per_year")]

    def __str__(self):
        return f"{self.antenna} — {self.year}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None


class AntennaLogAction(models.TextChoices):
    CREATED = "created", _("Antenna recorded")
    MILESTONES = "milestones", _("Milestones updated")
    IMPORTED = "imported", _("Imported")
    REPORT_SUBMITTED = "report_submitted", _("Yearly report submitted")
    REPORT_VALIDATED = "report_validated", _("Yearly report validated")
    REMINDER = "reminder", _("Yearly report reminder sent")


class AntennaLogEntry(models.Model):
    """Append-only: who changed what on an antenna, when. Never updated nor deleted."""

    antenna = models.ForeignKey(Antenna, verbose_name=_("antenna"), on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=24, choices=AntennaLogAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("antenna log entry")
        verbose_name_plural = _("antenna log")

    def __str__(self):
        return f"{self.antenna} — {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The antenna log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The antenna log is append-only."))


class CnamCentre(models.Model):
    """An existing Cnam centre (regional centre or older antenna), for the distances shown to reviewers."""

    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey(
        "cities.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="cnam_centres"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("Blank: the commune's."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True, help_text=_("Blank: the commune's."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Cnam centre")
        verbose_name_plural = _("Cnam centres")

    def __str__(self):
        return self.name

    @property
    def coordinates(self) -> tuple[float, float] | None:
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        if self.commune.latitude is not None and self.commune.longitude is not None:
            return self.commune.latitude, self.commune.longitude
        return None


__all__ = ["Antenna", "AntennaLogAction", "AntennaLogEntry", "AntennaReport", "AntennaStatus", "CnamCentre"]
