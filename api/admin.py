"""API tokens in the admin: administrators (users' managers) see and revoke them; nobody creates one here (a
token is created by its holder, in their account, where it is shown once)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .tokens import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_prefix", "created_at", "last_used_at", "expires_at", "state")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "user__email", "key_prefix")
    readonly_fields = (
        "user",
        "name",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.get_state_display_at(timezone.now())

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        now = timezone.now()
        for token in queryset:
            revoke_token(token=token, by=request.user, now=now)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
