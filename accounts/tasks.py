"""Celery tasks of the accounts app: thin, keyword-only primitives, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="accounts.send_password_reset", acks_late=True)
def task_send_password_reset(*, email: str, base_url: str) -> bool:
    """Queue the reset link of ``email``'s account, if any (a second run in the same window queues nothing more)."""
    return services.send_password_reset(email=email, base_url=base_url) is not None


@shared_task(name="accounts.resend_verification", acks_late=True)
def task_resend_verification(*, email: str, base_url: str) -> None:
    """Queue a new verification link if ``email`` awaits verification (at most one per account and e-mail window)."""
    services.resend_verification(email=email, base_url=base_url)
