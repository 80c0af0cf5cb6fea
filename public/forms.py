from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Campaign, Wave
from cities.models import Departement, Programme, Region
from public.models import ExportFormat
from public.selectors import LaureateFilters


class _FilterFields(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All régions"),
    )
    programme = forms.ChoiceField(
        label=_("Programme"), choices=[("", _("All programmes")), *Programme.choices], required=False
    )


class ResultsFilterForm(_FilterFields):
    """Filters of the public result pages (GET)."""


class ExportForm(_FilterFields):
    """What to export: all campaigns, a campaign or one of its waves, filtered; and in which format."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All campaigns"),
    )
    wave = forms.IntegerField(
        label=_("Wave number"), min_value=1, required=False, help_text=_("Leave empty for the whole campaign.")
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All départements"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.CSV_EXCEL)

    field_order = ["campaign", "wave", "region", "departement", "programme", "format"]

    def clean(self):
        data = super().clean()
        number, campaign = data.get("wave"), data.get("campaign")
        data["wave_obj"] = None
        if number:
            if campaign is None:
                self.add_error("wave", _("Choose the campaign of this wave."))
            else:
                data["wave_obj"] = Wave.objects.filter(campaign=campaign, number=number).first()
                if data["wave_obj"] is None:
                    self.add_error("wave", _("This campaign has no wave %(number)s.") % {"number": number})
        return data

    def filters(self) -> LaureateFilters:
        data = self.cleaned_data
        return LaureateFilters(
            campaign=data.get("campaign"),
            wave=data.get("wave_obj"),
            region=data["region"].code if data.get("region") else "",
            departement=data["departement"].code if data.get("departement") else "",
            programme=data.get("programme") or "",
        )

    def params(self) -> dict:
        """The request as JSON-serialisable codes, stored on an ExportJob and replayed by the worker."""
        f = self.filters()
        return {
            "campaign": f.campaign.slug if f.campaign else "",
            "wave": f.wave.number if f.wave else None,
            "region": f.region,
            "departement": f.departement,
            "programme": f.programme,
        }
