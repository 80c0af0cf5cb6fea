"""Reviewers with unfinished reviews are reminded 3 days and 1 day before their wave's review due date, once each,
through the outbox; nothing for finished reviewers; the periodic task is scheduled."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from reviews.models import Assignment, ReviewDeadline
from reviews.reminders import send_review_reminders
from reviews.tasks import task_send_review_reminders

from .factories import review

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SECOND = timedelta(seconds=1)


@pytest.fixture
def due(world):
    """Reviews of the world's wave due on Sunday 29 March 2026 at 18:00, Paris (the DST change is that night)."""
    me = world.users["reviewer_bfc"]
    Assignment.objects.create(dossier=world.dossier_bfc, reviewer=me, assigned_at=timezone.now())
    ReviewDeadline.objects.create(wave=world.wave, due_at=datetime(2026, 3, 29, 18, 0, tzinfo=PARIS))
    return ReviewDeadline.objects.get()  # as the task reads it: in UTC, where arithmetic is real elapsed time


def reminders(kind=EmailKind.REVIEW_REMINDER):
    return list(OutboxMessage.objects.filter(kind=kind).order_by("pk"))


def test_no_reminder_one_second_before_three_days(due):
    assert send_review_reminders(now=due.due_at - timedelta(days=3) - SECOND) == 0
    assert reminders() == []


def test_three_day_reminder_at_three_days_and_once_only(world, due):
    at = due.due_at - timedelta(days=3) + SECOND
    assert send_review_reminders(now=at) == 1
    assert send_review_reminders(now=at + timedelta(hours=1)) == 0
    [message] = reminders()
    assert message.recipient == world.users["reviewer_bfc"].email
    assert message.event_key.endswith(":3d")
    rendered = render_message(message)
    assert "AMI-BFC-0001" in rendered.body_text
    assert "/admin/applications/dossier/my-reviews/" in rendered.body_text


def test_one_day_reminder_is_24_real_hours_before_across_the_dst_change(due):
    # 24 hours before 29 March 18:00 (summer time) is 28 March 17:00 (winter time), not 18:00.
    assert due.due_at.astimezone(UTC) - timedelta(days=1) == datetime(2026, 3, 28, 17, 0, tzinfo=PARIS)
    send_review_reminders(now=due.due_at - timedelta(days=3))
    assert send_review_reminders(now=datetime(2026, 3, 28, 17, 0, tzinfo=PARIS) - SECOND) == 0
    assert send_review_reminders(now=datetime(2026, 3, 28, 17, 0, tzinfo=PARIS) + SECOND) == 1
    assert send_review_reminders(now=due.due_at - timedelta(hours=2)) == 0
    assert [m.event_key.rsplit(":", 1)[1] for m in reminders()] == ["3d", "1d"]


def test_no_reminder_after_the_due_date(due):
    assert send_review_reminders(now=due.due_at + SECOND) == 0


def test_no_reminder_when_the_reviewers_reviews_are_all_completed(world, due):
    review(world.dossier_bfc, world.users["reviewer_bfc"], [3, 6])
    assert send_review_reminders(now=due.due_at - timedelta(days=1) + SECOND) == 0
    assert reminders() == []


def test_a_draft_review_without_assignment_is_reminded(world, due):
    other = world.users["reviewer_bfc2"]
    review(world.dossier_bfc, other, [3, None], completed=False)
    send_review_reminders(now=due.due_at - timedelta(days=1) + SECOND)
    assert {m.recipient for m in reminders()} == {world.users["reviewer_bfc"].email, other.email}


def test_the_reminder_task_is_scheduled_and_thin(due):
    task = PeriodicTask.objects.get(task="reviews.send_review_reminders")
    assert task.enabled
    assert task_send_review_reminders.apply().get() == 0  # the due date is in the past now (2026-11)


def test_coordinators_may_set_review_due_dates():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="National coordinator").permissions.values_list("codename", flat=True))
    assert {"add_reviewdeadline", "change_reviewdeadline"} <= codenames
