"""Forms of the attachment, submission and withdrawal pages (validation of the content is in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import AttachmentKind


class AttachmentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        max_length=None,
        allow_empty_file=True,
        help_text=_(
            "PDF for letters and deliberations; XLSX, ODS or PDF for the budget table; PDF, PNG or JPEG "
            "for plans and photos."
        ),
    )


class SubmitConfirmForm(forms.Form):
    """Carries the wave shown to the official and a one-time token against double clicks."""

    wave = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Recorded in the dossier's history."),
    )
