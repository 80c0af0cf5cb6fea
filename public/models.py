"""Press and public results: per-wave publication settings and export jobs.

The laureate lists themselves are dossiers (``applications.Dossier``); nothing here copies them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WavePublicationSettings(models.Model):
    """What the committee agrees to make known about a wave besides its laureates."""

    wave = models.OneToOneField(
        "applications.Wave", verbose_name=_("wave"), on_delete=models.CASCADE, related_name="publication_settings"
    )
    show_not_retained_count = models.BooleanField(
        _("show the number of dossiers not retained"),
        default=False,
        help_text=_("Shown to the press, and on the public page once the results are published."),
    )

    class Meta:
        verbose_name = _("wave publication settings")
        verbose_name_plural = _("wave publication settings")

    def __str__(self):
        return str(self.wave)


class ExportFormat(models.TextChoices):
    CSV_EXCEL = "csv", _("CSV for Excel (UTF-8 with BOM, “;” separator)")
    CSV_PLAIN = "csv-comma", _("CSV (UTF-8, “,” separator)")
    XLSX = "xlsx", _("Excel (XLSX)")
    ODS = "ods", _("OpenDocument spreadsheet (ODS)")
    JSON = "json", _("JSON")


class ExportJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_upload_to(instance, filename):
    # A generated name in private storage; the human file name is kept in ``filename``.
    return f"exports/{uuid.uuid4().hex}-{filename}"


class ExportJob(models.Model):
    """A large export prepared in the background (Celery), downloaded later through a permission check."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="export_jobs",
    )
    params = models.JSONField(_("parameters"), default=dict)
    format = models.CharField(_("format"), max_length=12, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportJobStatus.choices, default=ExportJobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=export_upload_to, max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return self.filename or f"export #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportJobStatus.DONE, ExportJobStatus.FAILED}


class PublicationState(models.Model):
    """One row whose ``version`` changes whenever something the public pages show changes (a decision, a wave, a
    campaign, an antenna…): the public page cache is keyed on it (``public.page_cache``), so a change is visible
    at the next request. What changes by itself with time (a publication instant, a deadline) is not counted
    here: a cached page expires at the next such instant instead."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication state")
        verbose_name_plural = _("publication state")

    def __str__(self):
        return str(self.version)
