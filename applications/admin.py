"""Admin for campaigns and their waves. The dossier admin (review workflow) lives in reviews/admin.py."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Wave


class WaveInline(admin.TabularInline):
    model = Wave
    extra = 0
    fields = ("number", "opens_at", "closes_at", "publishes_at")
    ordering = ("number",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "reference_prefix", "is_historical", "wave_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [WaveInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_wave_count=Count("waves"))

    @admin.display(description=_("waves"), ordering="_wave_count")
    def wave_count(self, obj):
        return obj._wave_count


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ("__str__", "opens_at", "closes_at", "publishes_at", "state")
    list_filter = ("campaign",)
    list_select_related = ("campaign",)
    readonly_fields = ("closed_effects_done_at", "published_effects_done_at")

    @admin.display(description=_("state"))
    def state(self, obj):
        now = timezone.now()
        if obj.is_open_at(now):
            return _("Open")
        if now < obj.opens_at:
            return _("Not open yet")
        if obj.is_published_at(now):
            return _("Results published")
        return _("Closed")
