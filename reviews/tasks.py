"""Periodic Celery task of the review workflow: thin, calls one service."""

from celery import shared_task

from reviews import reminders


@shared_task(name="reviews.send_review_reminders", acks_late=True)
def task_send_review_reminders() -> int:
    return reminders.send_review_reminders()
