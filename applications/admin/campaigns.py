"""Admin for campaigns and their waves. The dossier admin (review workflow) lives in reviews/admin/workflow.py."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Campaign, CampaignDocument, CampaignQuestion, Wave


class WaveInline(admin.TabularInline):
    model = Wave
    extra = 0
    fields = ("number", "opens_at", "closes_at", "publishes_at")
    ordering = ("number",)


class CampaignDocumentForm(forms.ModelForm):
    """A document of the call is published as is: it must be a harmless PDF, checked like the officials' uploads."""

    class Meta:
        model = CampaignDocument
        fields = ("title", "file", "position")

    def clean_file(self):
        from applications.domain.attachment_checks import check_pdf
        from applications.domain.attachments import AttachmentRejected

        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload (not the file already stored)
            if upload.size > settings.ATTACHMENT_MAX_FILE_SIZE:
                raise ValidationError(_("This file is too large."))
            if not upload.read(5).startswith(b"%PDF-"):
                raise ValidationError(_("The documents of the call must be PDF files."))
            try:
                check_pdf(upload)
            except AttachmentRejected as refused:
                raise ValidationError(refused.messages) from None
        return upload

    def save(self, commit=True):
        document = super().save(commit=False)
        document.size = document.file.size
        if commit:
            document.save()
        return document


class CampaignDocumentInline(admin.TabularInline):
    model = CampaignDocument
    form = CampaignDocumentForm
    extra = 0
    fields = ("title", "file", "position")


class CampaignQuestionInline(admin.StackedInline):
    model = CampaignQuestion
    extra = 0
    fields = ("question", "answer", "position")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "reference_prefix", "is_historical", "wave_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [WaveInline, CampaignDocumentInline, CampaignQuestionInline]

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
