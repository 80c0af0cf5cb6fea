import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="public.task_run_export_job")
def task_run_export_job(*, job_id: int) -> None:
    """Prepare a large export file (see services.export_job_run: runs once, records progress)."""
    from public.services import export_job_run

    job = export_job_run(job_id=job_id)
    if job is None:
        logger.info("Export job %s no longer exists", job_id)
