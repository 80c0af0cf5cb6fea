"""The outbox at the service level (eager Celery, in-memory mail): one row per (event, recipient), sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import EmailKind, OutboxMessage, OutboxStatus
from notifications.sending import PermanentSendError, render_message, send_outbox_message
from notifications.services import queue_email, resend_messages, sweep_outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"verify_url": "https://ami.example/verify/abc"}


def queue(recipient, key="verify:1", **kwargs):
    return queue_email(kind=EmailKind.VERIFY_EMAIL, key=key, recipient=recipient, context=CONTEXT, **kwargs)


def test_queued_message_is_sent_after_commit_with_a_message_id_derived_from_its_key(django_capture_on_commit_callbacks):
    user = UserFactory(email="maire@ville.fr")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(user)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 1 and message.sent_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maire@ville.fr"]
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id
    assert message.message_id.startswith("<") and message.message_id.endswith("@cnam.example>")


def test_same_event_and_recipient_queued_twice_makes_one_row_and_one_mail(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first, second = queue(user), queue(user)
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_same_event_for_two_recipients_makes_two_rows():
    queue(UserFactory())
    queue("collegue@ville.fr")
    assert OutboxMessage.objects.count() == 2


def test_rolled_back_transaction_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(UserFactory())
            raise RuntimeError("the submission failed")
    assert callbacks == [] and OutboxMessage.objects.count() == 0 and mail.outbox == []


def test_message_is_in_french_by_default_and_in_english_for_who_prefers_it():
    french = queue(UserFactory(preferred_language="fr"), key="a")
    english = queue(UserFactory(preferred_language="en"), key="b")
    assert (french.language, render_message(french).subject) == ("fr", "Confirmez votre adresse électronique")
    assert (english.language, render_message(english).subject) == ("en", "Confirm your e-mail address")


def test_sending_a_row_already_sent_does_nothing():
    message = queue(UserFactory())
    assert send_outbox_message(message_id=message.pk) is True
    assert send_outbox_message(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_row_being_sent_by_a_live_worker_is_not_sent_again():
    message = queue(UserFactory())
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING, sending_started_at=timezone.now())
    assert send_outbox_message(message_id=message.pk) is False
    assert mail.outbox == []


def test_row_abandoned_in_sending_past_the_timeout_is_sent_by_the_sweep(settings):
    message = queue(UserFactory())
    started = timezone.now() - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT + 1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, sending_started_at=started, attempts=1
    )
    assert sweep_outbox() == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 2, 1)


def test_row_sending_for_less_than_the_timeout_is_left_alone_by_the_sweep(settings):
    message = queue(UserFactory())
    started = timezone.now() - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT - 5)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING, sending_started_at=started)
    assert sweep_outbox() == []


def test_sweep_sends_ready_rows_older_than_a_minute_only():
    message = queue(UserFactory())
    assert sweep_outbox(now=timezone.now()) == []
    assert sweep_outbox(now=timezone.now() + timedelta(minutes=1, seconds=1)) == [message.pk]
    assert len(mail.outbox) == 1


def test_sweep_leaves_a_row_waiting_for_its_back_off():
    message = queue(UserFactory())
    later = timezone.now() + timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=later)
    assert sweep_outbox(now=later - timedelta(seconds=1)) == []
    assert sweep_outbox(now=later) == [message.pk]


def test_unreachable_server_puts_the_row_back_to_ready_with_the_error_and_a_next_attempt(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableBackend"
    message = queue(UserFactory())
    with pytest.raises(OSError):
        send_outbox_message(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.READY and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error and message.next_attempt_at > timezone.now()


def test_unreachable_server_on_the_last_attempt_marks_the_row_failed(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableBackend"
    message = queue(UserFactory())
    with pytest.raises(OSError):
        send_outbox_message(message_id=message.pk, final_attempt=True)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.next_attempt_at is None


def test_task_failing_asks_celery_for_a_retry_with_back_off_and_keeps_the_row_ready(settings):
    from celery.exceptions import Retry

    from notifications.tasks import task_send_outbox_message

    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableBackend"
    message = queue(UserFactory())
    with pytest.raises(Retry) as retry:
        task_send_outbox_message.apply(kwargs={"message_id": message.pk})
    assert retry.value.when == 30
    message.refresh_from_db()
    assert message.status == OutboxStatus.READY and "SMTPServerDisconnected" in message.last_error


def test_task_failing_on_its_last_retry_marks_the_row_failed(settings):
    from notifications.tasks import task_send_outbox_message

    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableBackend"
    message = queue(UserFactory())
    with pytest.raises(OSError):
        task_send_outbox_message.apply(
            kwargs={"message_id": message.pk}, retries=task_send_outbox_message.max_retries, throw=True
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and "SMTPServerDisconnected" in message.last_error


def test_refused_recipient_fails_at_once_without_retry(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    message = queue(UserFactory())
    with pytest.raises(PermanentSendError):
        send_outbox_message(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)


def test_failed_message_resent_goes_back_to_ready_and_is_sent(django_capture_on_commit_callbacks):
    message = queue(UserFactory())
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=7, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_messages(message_ids=[message.pk]) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 8, 1)


def test_resend_ignores_rows_that_did_not_fail():
    message = queue(UserFactory())
    assert resend_messages(message_ids=[message.pk]) == 0


def test_admin_lists_messages_read_only_and_resends_failed_ones(admin_client, django_capture_on_commit_callbacks):
    message = queue(UserFactory())
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, last_error="SMTP down")
    changelist = reverse("admin:notifications_outboxmessage_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200 and "resend_failed" in page.content.decode()
    change = admin_client.get(reverse("admin:notifications_outboxmessage_change", args=[message.pk]))
    assert "SMTP down" in change.content.decode() and 'name="_save"' not in change.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(changelist, {"action": "resend_failed", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(mail.outbox) == 1


def test_staff_without_the_resend_permission_does_not_get_the_action(client):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(user)
    page = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert page.status_code == 200 and "resend_failed" not in page.content.decode()


def test_outbox_account_field_has_a_translatable_label():
    with translation.override("fr"):
        assert str(OutboxMessage._meta.get_field("user").verbose_name) == "compte"


def test_event_and_recipient_are_stored_as_separate_columns():
    message = queue("Maire@Ville.fr", key="decision:12:3:laureate")
    assert (message.event_key, message.recipient) == ("decision:12:3:laureate", "Maire@Ville.fr")


def test_the_same_event_to_the_same_address_in_another_case_is_one_message():
    first = queue("maire@ville.fr", key="receipt:7")
    assert queue("MAIRE@ville.fr", key="receipt:7") == first
    assert OutboxMessage.objects.count() == 1


def test_the_database_refuses_a_second_row_for_one_event_and_address():
    from django.db import IntegrityError

    queue("maire@ville.fr", key="receipt:7")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            event_key="receipt:7", kind=EmailKind.RECEIPT, recipient="Maire@ville.fr", subject="s", body_text="b"
        )


def test_message_id_is_unchanged_by_the_event_key_column():
    import hashlib

    message = queue("Maire@Ville.fr", key="verify:1")
    digest = hashlib.sha256(b"verify:1:maire@ville.fr").hexdigest()[:40]
    assert message.message_id == f"<{digest}@cnam.example>"
