"""Press exports (direct or through an ExportJob) and the import of historical laureates."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ami_portal.links import absolute_url
from applications.models import Campaign
from public import exports, selectors
from public.models import ExportJob, ExportJobStatus
from public.selectors import LaureateFilters

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500


def sync_max_rows() -> int:
    """Above this many rows, XLSX and ODS exports are prepared by a background job."""
    return getattr(settings, "PUBLIC_EXPORT_SYNC_MAX_ROWS", 1000)


def export_prepare(*, filters: LaureateFilters, press: bool, now: datetime) -> tuple[QuerySet, exports.ExportMeta]:
    """The rows an audience may export and how the file must describe itself.

    Guarantees: the public never gets an unpublished laureate; a press file holding any unpublished laureate
    carries the embargo (latest publication instant of its waves) in its name and content.
    """
    queryset = selectors.laureates_for(press=press, now=now, filters=filters)
    until = selectors.embargo_until(queryset, now=now) if press else None
    title = _("Laureates of the call for expressions of interest “Au cœur des territoires”")
    meta = exports.ExportMeta(
        scope_slug=exports.scope_slug(filters), title=title, embargo_until=until, open_data=not press
    )
    return queryset, meta


def iter_rows(queryset: QuerySet, *, on_progress=None, total: int = 0):
    """Rows in chunks (bounded memory); ``on_progress(done)`` is called every PROGRESS_EVERY rows."""
    for done, dossier in enumerate(queryset.iterator(chunk_size=PROGRESS_EVERY), start=1):
        yield exports.laureate_row(dossier)
        if on_progress is not None and done % PROGRESS_EVERY == 0:
            on_progress(done)


def filters_from_params(params: dict) -> LaureateFilters:
    campaign = Campaign.objects.filter(slug=params.get("campaign") or "").first()
    wave = campaign.waves.filter(number=params["wave"]).first() if campaign and params.get("wave") else None
    return LaureateFilters(
        campaign=campaign,
        wave=wave,
        region=params.get("region") or "",
        departement=params.get("departement") or "",
        programme=params.get("programme") or "",
    )


def export_job_create(*, user, params: dict, fmt: str) -> ExportJob:
    """Record a job and queue its Celery task after commit (in eager mode it is done when this returns)."""
    from public.tasks import task_run_export_job

    job = ExportJob(requested_by=user, params=params, format=fmt)
    job.full_clean(exclude=["file"])
    job.save()
    transaction.on_commit(lambda: task_run_export_job.delay(job_id=job.pk))
    return job


def export_job_run(*, job_id: int, now: datetime | None = None) -> ExportJob | None:
    """Build the job's file into private storage, reporting progress. Runs once: a started job is left alone."""
    updated = ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.PENDING).update(status=ExportJobStatus.RUNNING)
    job = ExportJob.objects.filter(pk=job_id).first()
    if not updated or job is None:
        return job
    try:
        _write_job_file(job, now=now or timezone.now())
    except Exception as exc:  # the job must end in a visible state whatever went wrong
        logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        job.refresh_from_db()
    return job


def _write_job_file(job: ExportJob, *, now: datetime) -> None:
    queryset, meta = export_prepare(filters=filters_from_params(job.params), press=True, now=now)
    total = job.row_count = queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(row_count=total)

    def on_progress(done):
        # 99 at most: 100 means the file is written.
        ExportJob.objects.filter(pk=job.pk).update(progress=min(99, done * 100 // max(total, 1)))

    content = exports.render_bytes(iter_rows(queryset, on_progress=on_progress, total=total), meta=meta, fmt=job.format)
    job.filename = meta.filename(job.format)
    job.file.save(job.filename, ContentFile(content), save=False)
    job.status, job.progress, job.finished_at = ExportJobStatus.DONE, 100, timezone.now()
    with transaction.atomic():
        job.save(update_fields=["filename", "file", "status", "progress", "finished_at", "row_count"])
        _queue_export_ready(job)


def _queue_export_ready(job: ExportJob) -> None:
    """Tell the requester the file is ready (EXPORT_READY), once per job."""
    from django.urls import reverse

    from notifications.models import EmailKind
    from notifications.services import queue_email

    if job.requested_by is None or not job.requested_by.is_active or not job.requested_by.email:
        return
    context = {
        "export_name": job.filename,
        "download_url": absolute_url(reverse("press-job-download", kwargs={"pk": job.pk})),
    }
    queue_email(kind=EmailKind.EXPORT_READY, key=f"export-ready:{job.pk}", recipient=job.requested_by, context=context)
