"""Admin for coordinators: per-wave publication settings, and laureate exports (the "Add" of export jobs
opens the export form; large files become jobs followed on the press job page)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from public.forms import ExportForm
from public.models import ExportJob, WavePublicationSettings
from public.views.press import export_response


class CoordinatorOnlyMixin:
    """Admin access through the ``public.manage_exports`` rule (coordinators and superusers)."""

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm("public.manage_exports")

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(WavePublicationSettings)
class WavePublicationSettingsAdmin(CoordinatorOnlyMixin, admin.ModelAdmin):
    list_display = ["wave", "show_not_retained_count"]
    list_select_related = ["wave__campaign"]


@admin.register(ExportJob)
class ExportJobAdmin(CoordinatorOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "filename", "format", "status", "progress", "row_count", "requested_by"]
    list_filter = ["status", "format"]
    list_select_related = ["requested_by"]
    readonly_fields = [
        "requested_by",
        "params",
        "format",
        "status",
        "progress",
        "row_count",
        "filename",
        "error",
        "created_at",
        "finished_at",
    ]
    exclude = ["file"]

    def has_change_permission(self, request, obj=None):
        return False  # jobs are records of what was exported

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ExportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return export_response(request, form)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export laureates"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/public/exportjob/export_form.html", context)
