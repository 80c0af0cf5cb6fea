"""E-mails are rendered by the worker at send time, from the context the outbox row keeps: the transaction that
queues them (a submission at the deadline) only writes the row."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.test.signals import template_rendered
from django.utils import translation
from django.utils.translation import gettext_lazy

from notifications.context import freeze, thaw
from notifications.models import EmailKind, OutboxMessage, OutboxStatus
from notifications.services import queue_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CONTEXT = {"verify_url": "https://ami.example/verify/abc"}


@pytest.fixture
def rendered_templates():
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def test_row_is_written_in_the_transaction_without_rendering_any_template(rendered_templates):
    with transaction.atomic():
        message = queue_email(kind=EmailKind.VERIFY_EMAIL, key="verify:1", recipient=UserFactory(), context=CONTEXT)
        assert OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.READY).exists()

    row = OutboxMessage.objects.get(pk=message.pk)
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    assert row.context["verify_url"] == CONTEXT["verify_url"]
    assert not [name for name in rendered_templates if name.startswith("emails/")]


def test_body_is_rendered_at_send_and_kept_on_the_row(django_capture_on_commit_callbacks, rendered_templates):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue_email(kind=EmailKind.VERIFY_EMAIL, key="verify:1", recipient=UserFactory(), context=CONTEXT)
    assert not [name for name in rendered_templates if name.startswith("emails/")]

    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert "emails/verify_email/body.txt" in rendered_templates
    assert message.status == OutboxStatus.SENT and len(mail.outbox) == 1
    assert message.subject == mail.outbox[0].subject == "Confirmez votre adresse électronique"
    assert CONTEXT["verify_url"] in message.body_text and message.body_text == mail.outbox[0].body


def test_body_is_rendered_in_the_recipients_language_whatever_the_language_at_queue_time(
    django_capture_on_commit_callbacks,
):
    english = UserFactory(preferred_language="en")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        queue_email(kind=EmailKind.VERIFY_EMAIL, key="verify:1", recipient=english, context=CONTEXT)

    assert mail.outbox[0].subject == "Confirm your e-mail address"


def test_row_rendered_once_is_sent_with_the_same_text_again(django_capture_on_commit_callbacks):
    from notifications.sending import send_outbox_message

    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(kind=EmailKind.VERIFY_EMAIL, key="verify:1", recipient=UserFactory(), context=CONTEXT)
    # Put back to READY (as a retry would) with another context: what was rendered the first time is what is sent.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.READY, context={"verify_url": "changed"})

    assert send_outbox_message(message_id=message.pk)
    assert mail.outbox[1].body == mail.outbox[0].body and "changed" not in mail.outbox[1].body


def test_stored_context_keeps_dates_decimals_and_accounts():
    user = UserFactory()
    moment = datetime(2026, 3, 29, 12, 0, tzinfo=PARIS)
    with translation.override("en"):
        stored = freeze(
            {
                "at": moment,
                "day": date(2026, 3, 29),
                "amount": Decimal("12.50"),
                "user": user,
                "label": gettext_lazy("French"),
                "rows": [{"n": 1}],
                "pair": (1, 2),
            }
        )

    back = thaw(stored)

    assert back["at"] == moment and back["day"] == date(2026, 3, 29) and back["amount"] == Decimal("12.50")
    assert back["user"] == user and back["label"] == "French" and back["rows"] == [{"n": 1}] and back["pair"] == [1, 2]
