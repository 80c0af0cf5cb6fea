"""Sending one outbox row, exactly once: READY → SENDING (committed) → render → SMTP → SENT.

The templates are rendered here, by the worker, from the context the row keeps (not in the transaction that
queued it); the rendered subject and bodies are stored on the row before the SMTP conversation, so a retry
sends the same text.

The SENDING status is committed before the SMTP conversation starts, so a second task for the same row (a
redelivery, the sweep, a double enqueue) finds it taken and does nothing. A row left SENDING by a worker that died
is taken again only once OUTBOX_SENDING_TIMEOUT has passed (see README.md for what this guarantees).
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from .context import thaw
from .models import OutboxMessage, OutboxStatus
from .rendering import render_email

logger = logging.getLogger(__name__)

# Worth another attempt later: the server or the network is down or busy (ConnectionError, timeouts are OSError),
# or the server answered 4xx ("try again later") at any stage: greeting, HELO, MAIL FROM, RCPT TO, DATA.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)
RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 1800


class PermanentSendError(Exception):
    """Sending this row cannot succeed by retrying (refused address, broken template or attachment)."""


def is_permanent_smtp_error(error: Exception) -> bool:
    """Only a 5xx answer is final (RFC 5321): the server said no for good and retrying would be refused again.

    A 4xx answer at any stage, or an error without an SMTP code (network, timeout, dropped connection), is
    temporary. A refusal at RCPT TO is final only if every recipient got a 5xx.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(_is_5xx(code) for code in codes)
    return _is_5xx(getattr(error, "smtp_code", None))


def _is_5xx(code) -> bool:
    return isinstance(code, int) and 500 <= code < 600


def stuck_before(now: datetime) -> datetime:
    """Rows SENDING since before this instant were abandoned by a worker that died."""
    return now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)


def claim_message(*, message_id: int, now: datetime) -> OutboxMessage | None:
    """Under a row lock, move a READY row (or an abandoned SENDING one) to SENDING and commit; None otherwise."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        abandoned = (
            message.status == OutboxStatus.SENDING
            and message.sending_started_at is not None
            and message.sending_started_at <= stuck_before(now)
        )
        if message.status != OutboxStatus.READY and not abandoned:
            return None
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.sending_started_at = now
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "sending_started_at", "next_attempt_at"])
    return message


def send_outbox_message(*, message_id: int, final_attempt: bool = False, now: datetime | None = None) -> bool:
    """Send the row if it can be claimed; True if this call sent it.

    On a transient error (network, any 4xx answer) the row goes back to READY (FAILED if ``final_attempt``) with
    ``last_error`` and the error is re-raised for Celery's retry with back-off; a permanent error (a 5xx answer, a
    broken attachment) marks it FAILED and raises PermanentSendError. A row is sent by one claim at a time, and a
    4xx answer at MAIL FROM or RCPT TO comes before DATA: nothing was delivered, so the retry sends it once.
    """
    now = now or timezone.now()
    message = claim_message(message_id=message_id, now=now)
    if message is None:
        return False
    try:
        render_message(message, save=True)
        build_email(message).send()
    except TRANSIENT_ERRORS as error:
        if is_permanent_smtp_error(error):
            _record_failure(message, error, final=True)
            raise PermanentSendError(str(error)) from error
        _record_failure(message, error, final=final_attempt)
        raise
    except Exception as error:
        _record_failure(message, error, final=True)
        raise PermanentSendError(repr(error)) from error
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return True


def _record_failure(message: OutboxMessage, error: Exception, *, final: bool) -> None:
    backoff = min(RETRY_BACKOFF_SECONDS * 2 ** max(message.attempts - 1, 0), RETRY_BACKOFF_MAX_SECONDS)
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.FAILED if final else OutboxStatus.READY,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        # A margin past Celery's own countdown, so the sweep only steps in if the retry itself was lost.
        next_attempt_at=None if final else timezone.now() + timedelta(seconds=backoff + 60),
    )
    logger.warning("Outbox message %s attempt %s failed: %r", message.pk, message.attempts, error)


def render_message(message: OutboxMessage, *, save: bool = False) -> OutboxMessage:
    """Fill the row's subject and bodies from its stored context, in its language, unless already rendered.

    Called by the worker once the row is claimed (``save=True`` records what is sent, so a retry sends the same
    text); without ``save`` it only fills the instance (a preview of what will be sent).
    """
    if message.body_text:
        return message
    subject, text, body_html = render_email(
        message.kind, thaw(message.context or {}), message.language or settings.LANGUAGE_CODE
    )
    message.subject, message.body_text, message.body_html = subject[:255], text, body_html
    if save:
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
            subject=message.subject, body_text=text, body_html=body_html
        )
    return message


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail of a row, with its deterministic Message-ID and its attachments rendered now."""
    email = EmailMultiAlternatives(
        message.subject, message.body_text, to=[message.recipient], headers={"Message-ID": message.message_id}
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    with translation.override(message.language or settings.LANGUAGE_CODE):
        for spec in message.attachments or []:
            email.attach(*render_attachment(spec))
    return email


def render_attachment(spec: dict) -> tuple[str, bytes, str]:
    """(filename, content, MIME type) for an attachment description such as {"kind": "receipt", "submission_id": 3}."""
    renderer = ATTACHMENT_RENDERERS.get(spec.get("kind"))
    if renderer is None:
        raise PermanentSendError(f"Unknown attachment kind {spec.get('kind')!r}")
    return renderer(spec)


def _receipt_attachment(spec: dict) -> tuple[str, bytes, str]:
    from applications.domain.receipts import render_receipt_pdf
    from applications.models import Submission

    submission = Submission.objects.select_related("dossier", "wave").filter(pk=spec.get("submission_id")).first()
    if submission is None:
        raise PermanentSendError(f"Submission {spec.get('submission_id')} no longer exists")
    filename = gettext("receipt-%(reference)s.pdf") % {"reference": submission.dossier.reference}
    return filename, render_receipt_pdf(submission), "application/pdf"


ATTACHMENT_RENDERERS = {"receipt": _receipt_attachment}
