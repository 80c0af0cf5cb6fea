"""The network in the Django admin: antennas (milestones), yearly reports (validation), the log (read-only),
Cnam centres, and the coverage map.

Scope: coordinators and administrators see every antenna, regional staff those of their régions (selectors); a row
outside the scope is a 404 (``RulesAdminMixin``). Saving goes through ``services`` so every change is logged.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ami_portal.read_only_admin import ReadOnlyAdminMixin
from network import selectors, services
from network.admin import views as admin_views
from network.forms import AntennaAdminForm
from network.models import Antenna, AntennaLogAction, AntennaLogEntry, AntennaReport, CnamCentre
from network.status import AntennaStatus
from reviews.admin.mixins import RulesAdminMixin


class AntennaReportInline(admin.TabularInline):
    model = AntennaReport
    extra = 0
    can_delete = False
    fields = readonly_fields = ("year", "enrolments", "submitted_by", "submitted_at", "validated_by", "validated_at")

    def has_add_permission(self, request, obj=None):
        return False


class AntennaLogInline(admin.TabularInline):
    model = AntennaLogEntry
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "actor", "action", "changes")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return AntennaStatus.choices

    def queryset(self, request, queryset):
        if self.value() not in AntennaStatus.values:
            return queryset
        today = timezone.localdate()
        return queryset.filter(pk__in=[a.pk for a in queryset if a.status_on(today) == self.value()])


@admin.register(Antenna)
class AntennaAdmin(RulesAdminMixin, admin.ModelAdmin):
    form = AntennaAdminForm
    change_rule = "network.manage_antenna"
    view_rule = "network.manage_antenna"
    list_display = (
        "__str__",
        "campaign",
        "region",
        "status",
        "convention_signed_on",
        "opening_planned_on",
        "opened_on",
    )
    list_filter = (StatusFilter, "dossier__campaign")
    search_fields = ("dossier__commune__name", "dossier__epci__name", "dossier__reference")
    readonly_fields = ("status", "convention_link")
    fieldsets = [
        (None, {"fields": ("dossier", "status", "address")}),
        (_("Agreement"), {"fields": ("convention_signed_on", "convention_pdf", "convention_link")}),
        (_("Opening"), {"fields": ("opening_planned_on", "opened_on", "training_paths")}),
        (_("Suspension or closure"), {"fields": ("suspended_on", "closed_on", "interruption_reason")}),
    ]
    inlines = [AntennaReportInline, AntennaLogInline]
    change_list_template = "network/admin/antenna_change_list.html"

    def visible_queryset(self, request):
        return selectors.antennas_for_staff(request.user)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "dossier") if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dossier":
            from applications.states import DossierStatus
            from reviews.selectors import dossiers_for_staff

            kwargs["queryset"] = dossiers_for_staff(request.user).filter(
                status=DossierStatus.LAUREATE, antenna__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("campaign"))
    def campaign(self, obj):
        return obj.dossier.campaign.name

    @admin.display(description=_("région"))
    def region(self, obj):
        return obj.dossier.region.name if obj.dossier.region_id else "—"

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.status_on(timezone.localdate()).label if obj and obj.pk else AntennaStatus.LAUREATE.label

    @admin.display(description=_("signed agreement"))
    def convention_link(self, obj):
        if not obj or not obj.convention_pdf:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("network:convention", kwargs={"pk": obj.pk}),
            _("Download the signed agreement"),
        )

    def save_model(self, request, obj, form, change):
        action = AntennaLogAction.MILESTONES if change else AntennaLogAction.CREATED
        services.antenna_update_milestones(antenna=obj, by=request.user, action=action)

    def get_urls(self):
        return [
            path("couverture/", self.admin_site.admin_view(self.coverage_view), name="network_antenna_coverage"),
            *super().get_urls(),
        ]

    def coverage_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return admin_views.coverage(request, admin_site=self.admin_site)


@admin.register(AntennaReport)
class AntennaReportAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ("antenna", "year", "enrolments", "submitted_at", "validated_at")
    list_filter = ("year", ("validated_at", admin.EmptyFieldListFilter))
    readonly_fields = (
        "antenna",
        "year",
        "enrolments",
        "training_paths",
        "comment",
        "submitted_by",
        "submitted_at",
        "validated_by",
        "validated_at",
    )
    actions = ["validate"]

    def visible_queryset(self, request):
        return selectors.reports_for_staff(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Validate the selected yearly reports"), permissions=["change"])
    def validate(self, request, queryset):
        now = timezone.now()
        try:
            done = sum(services.report_validate(report=report, by=request.user, now=now) for report in queryset)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d report validated.", "%(count)d reports validated.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.register(AntennaLogEntry)
class AntennaLogEntryAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    list_display = ("at", "antenna", "action", "actor")
    list_filter = ("action",)
    readonly_fields = ("antenna", "at", "actor", "action", "changes")

    def visible_queryset(self, request):
        return AntennaLogEntry.objects.filter(antenna__in=selectors.antennas_for_staff(request.user)).select_related(
            "antenna__dossier__commune", "antenna__dossier__epci", "actor"
        )


@admin.register(CnamCentre)
class CnamCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "commune__name")
    autocomplete_fields = ("commune",)
