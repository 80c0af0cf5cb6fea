"""The outbox in the admin: read-only (status, attempts, last error), with one action to resend failed messages."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ami_portal.read_only_admin import ReadOnlyAdminMixin

from .models import OutboxMessage, OutboxStatus
from .services import resend_messages


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["recipient", "subject", "event_key"]
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    fields = [
        "event_key",
        "kind",
        "recipient",
        "user",
        "language",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sending_started_at",
        "next_attempt_at",
        "sent_at",
        "attachments",
        "context",
        "body_text",
        "body_html",
    ]
    readonly_fields = fields

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.resend_outboxmessage")

    @admin.action(description=_("Resend the selected failed messages"), permissions=["resend"])
    def resend_failed(self, request, queryset):
        ids = list(queryset.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True))
        count = resend_messages(message_ids=ids)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
