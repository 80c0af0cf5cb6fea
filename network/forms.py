"""Forms of the network: the staff's antenna form (admin) and the officials' yearly report form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.domain.attachment_checks import check_pdf
from applications.domain.attachments import AttachmentRejected

from .models import Antenna
from .services import MILESTONE_FIELDS

CONVENTION_MAX_BYTES = 10 * 1024 * 1024


class AntennaAdminForm(forms.ModelForm):
    class Meta:
        model = Antenna
        fields = ["dossier", *MILESTONE_FIELDS]

    def clean_convention_pdf(self):
        upload = self.cleaned_data.get("convention_pdf")
        if not upload or not hasattr(upload, "content_type"):  # unchanged or cleared
            return upload
        if upload.size > CONVENTION_MAX_BYTES:
            raise forms.ValidationError(_("The signed agreement must not exceed 10 MB."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("The signed agreement must be a PDF file."))
        try:
            check_pdf(upload)
        except AttachmentRejected as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    enrolments = forms.IntegerField(
        label=_("Enrolments (entrées en formation)"),
        min_value=0,
        max_value=100000,
        help_text=_("People who started a Cnam course at the antenna during the year."),
    )
    training_paths = forms.CharField(
        label=_("Training paths run this year"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, antenna: Antenna, **kwargs):
        super().__init__(*args, **kwargs)
        last = timezone.localdate().year
        first = antenna.opened_on.year if antenna.opened_on else last
        self.fields["year"].choices = [(year, str(year)) for year in range(last, first - 1, -1)]
        self.fields["year"].initial = max(first, last - 1)  # the figures due are last year's
