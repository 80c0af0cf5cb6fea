"""The e-mail outbox: one row per (event, recipient), sent exactly once by a Celery task."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    """Each kind maps to templates/emails/<kind>/{subject.txt,body.txt,body.html}."""

    VERIFY_EMAIL = "verify_email", _("E-mail address verification")
    PASSWORD_RESET = "password_reset", _("Password reset")
    INVITATION = "invitation", _("Co-editor invitation")
    RECEIPT = "receipt", _("Submission receipt")
    REOPENED = "reopened", _("Dossier reopened for corrections")
    WITHDRAWN = "withdrawn", _("Dossier withdrawn")
    DECISION = "decision", _("Committee decision")
    REMINDER = "reminder", _("Deadline reminder")
    WAVE_CLOSED_DRAFT = "wave_closed_draft", _("Wave closed with the dossier unsubmitted")
    WAVE_SUMMARY = "wave_summary", _("Wave closing summary")
    REVIEWER_ASSIGNMENT = "reviewer_assignment", _("Reviewer assignment")
    EXPORT_READY = "export_ready", _("Export ready")
    MANDATE_VERIFIED = "mandate_verified", _("Holder's mandate verified")
    HOLDER_CHANGE = "holder_change", _("Change of a dossier's holders")
    JOIN_ANSWER = "join_answer", _("Answer to a request to join a dossier")
    INVITATION_RENEWAL = "invitation_renewal", _("Request for a new invitation link")
    DOSSIER_MESSAGE = "dossier_message", _("Message about a dossier")
    ANTENNA_REPORT_REMINDER = "antenna_report_reminder", _("Antenna's yearly report reminder")
    REVIEW_DISCUSSION = "review_discussion", _("New message in a dossier's staff discussion")
    REVIEW_REMINDER = "review_reminder", _("Reminder of reviews due")


class OutboxStatus(models.TextChoices):
    READY = "ready", _("Ready to send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """One e-mail: at most one row per (event, recipient address, case-insensitive), sent exactly once."""

    event_key = models.CharField(
        _("event"), max_length=200, help_text=_("What caused the message, e.g. decision:12:3:laureate.")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=EmailKind.choices)
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    # The templates' context, frozen at queue time (context.py); subject and bodies are rendered from it by the
    # worker at send time and stored here, so the row shows what was sent.
    context = models.JSONField(_("template context"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text body"), blank=True)
    body_html = models.TextField(_("HTML body"), blank=True)
    # Attachments described as [{"kind": "receipt", "submission_id": 12}], rendered at send time.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.READY)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sending_started_at = models.DateTimeField(_("last attempt started at"), null=True, blank=True)
    # Set after a transient failure: the sweep leaves the row to Celery's back-off until then.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_idx")]
        constraints = [
            models.UniqueConstraint(F("event_key"), Lower("recipient"), name="one_message_per_event_and_recipient"),
        ]
        permissions = [("resend_outboxmessage", _("Can resend a failed e-mail"))]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def message_id(self) -> str:
        """A Message-ID derived from the event and the recipient: a re-send of the same row carries the same one,
        so a duplicate after a crash between the SMTP server's acceptance and our SENT commit is recognisable."""
        digest = hashlib.sha256(f"{self.event_key}:{self.recipient.lower()}".encode()).hexdigest()[:40]
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
        return f"<{digest}@{domain}>"
