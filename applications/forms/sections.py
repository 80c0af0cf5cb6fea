"""Forms of the dossier sections, co-editor invitations and dossier creation.

Section forms never require a field: a draft is saved over several sittings and required-ness is checked only
at submission (``queries.completeness.dossier_completeness``). They do check types and formats (numbers, e-mail, amounts).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.forms import BoundField, inlineformset_factory
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from applications.forms.amounts import AmountField
from applications.models import Dossier, DossierInvitation, DossierPartner

# Long text fields protected by the htmx autosave (and only them: short fields are quick to retype).
AUTOSAVE_MIN_LENGTH = 1500


def autosave_status_id(name: str) -> str:
    """The id of the element where the autosave of field ``name`` reports "saved at HH:MM"."""
    return f"autosave-{name}"


class AutosavedBoundField(BoundField):
    """An autosaved field is described by its help text, its errors, then its autosave status (in that order)."""

    @property
    def aria_describedby(self):
        return " ".join(filter(None, [super().aria_describedby, autosave_status_id(self.name)]))


class SectionForm(forms.ModelForm):
    """A section of the dossier: every field optional at save time, typed input validated."""

    def __init__(self, *args, autosave_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        layout = []
        for name, field in self.fields.items():
            field.required = False
            layout.append(name)
            if autosave_url and self.is_autosaved(name):
                self._add_autosave(name, field, autosave_url(name))
                # Where the autosave reports "saved at HH:MM", read out by screen readers.
                # data-not-saved: what autosave.js shows when a save fails (then it retries).
                layout.append(
                    HTML(
                        f'<p id="{autosave_status_id(name)}" class="small autosave-status" role="status" '
                        f'aria-live="polite" data-not-saved="{escape(_("Not saved — retrying…"))}"></p>'
                    )
                )
        self.helper.layout = Layout(*layout)

    @classmethod
    def autosaved_fields(cls) -> list[str]:
        return [name for name in cls._meta.fields if cls._is_long_text(name)]

    @classmethod
    def is_autosaved(cls, name: str) -> bool:
        return name in cls.autosaved_fields()

    @staticmethod
    def _is_long_text(name: str) -> bool:
        field = Dossier._meta.get_field(name)
        return field.get_internal_type() == "TextField" and (field.max_length or 0) >= AUTOSAVE_MIN_LENGTH

    @staticmethod
    def _add_autosave(name, field, url):
        # htmx posts the enclosing form (with its CSRF token); the endpoint reads and saves this field only.
        field.widget.attrs.update(
            {
                "hx-post": url,
                # autosave-retry: sent by autosave.js after a failed save, with back-off.
                "hx-trigger": "keyup changed delay:2s, autosave-retry",
                "hx-target": f"#{autosave_status_id(name)}",
                "hx-swap": "innerHTML",
                # One autosave of a field at a time, in order: each carries the base the previous one returned.
                "hx-sync": "this:queue last",
            }
        )
        # Not a widget attribute: that would replace the help text and error ids Django puts there.
        field.bound_field_class = AutosavedBoundField


def _textarea(rows=6):
    return forms.Textarea(attrs={"rows": rows})


class TerritoryForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["territory_presentation", "employment_basin"]
        widgets = {"territory_presentation": _textarea(), "employment_basin": _textarea()}
        help_texts = {
            "territory_presentation": _("Population, economic fabric, existing higher-education offer."),
            "employment_basin": _("The employment basin the project serves: towns, commuting, main employers."),
        }


class SkillsForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["skills_in_shortage", "industries"]
        widgets = {"skills_in_shortage": _textarea(), "industries": _textarea(4)}
        help_texts = {
            "skills_in_shortage": _("The skills employers struggle to recruit (compétences en tension)."),
            "industries": _("The sectors and companies that need these skills."),
        }


class TrainingForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["training_courses", "training_levels", "expected_learners_per_year"]
        widgets = {"training_courses": _textarea()}
        help_texts = {
            "training_courses": _("The Cnam courses or diplomas you would like to offer locally."),
            "training_levels": _("E.g. bac+2 to bac+5, professional certificates."),
        }


class PremisesForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["premises_address", "premises_area_m2", "premises_description", "premises_available_from"]
        widgets = {
            "premises_description": _textarea(),
            "premises_available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class BudgetForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["budget_total", "cofinancing_territory", "cofinancing_region", "cofinancing_other", "budget_comments"]
        widgets = {"budget_comments": _textarea(4)}
        # French input (« 80 000,50 », « 80000.50 ») read the same in every browser, see amounts.py.
        field_classes = dict.fromkeys(fields[:-1], AmountField)

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("budget_total")
        parts = [cleaned.get(name) for name in ("cofinancing_territory", "cofinancing_region", "cofinancing_other")]
        cofinancing = sum(part for part in parts if part)
        if total is not None and cofinancing > total:
            raise forms.ValidationError(
                _("The co-financing (%(cofinancing)s €) cannot be more than the total budget (%(total)s €)."),
                code="cofinancing_above_total",
                # Amounts written the local way ("3 600,50" in French, not "3600.50").
                params={
                    "cofinancing": number_format(cofinancing, force_grouping=True),
                    "total": number_format(total, force_grouping=True),
                },
            )
        return cleaned


class LeadForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["lead_name", "lead_role", "lead_email", "lead_phone", "other_contacts"]
        widgets = {"other_contacts": _textarea(4)}


class SummaryForm(SectionForm):
    class Meta:
        model = Dossier
        fields = ["title", "public_summary"]
        widgets = {"public_summary": _textarea()}


class PartnerForm(forms.ModelForm):
    class Meta:
        model = DossierPartner
        fields = ["name", "kind", "commitment", "contact"]
        widgets = {"commitment": _textarea(3)}


PartnerFormSet = inlineformset_factory(
    Dossier,
    DossierPartner,
    form=PartnerForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
    can_delete_extra=False,  # the empty line for a new partner has nothing to delete
)


class PartnerFormSetHelper(FormHelper):
    form_tag = False
    disable_csrf = True


class InvitationForm(forms.Form):
    # No longer than the column: a longer address gets a form error, not a database error (HTTP 500).
    email = forms.EmailField(
        label=_("Colleague's e-mail address"), max_length=DossierInvitation._meta.get_field("email").max_length
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class StartDossierForm(forms.Form):
    """Which of the official's territories applies (their commune, or their EPCI for Territoires d'industrie)."""

    applicant = forms.ChoiceField(label=_("Applicant"), widget=forms.RadioSelect)

    def __init__(self, *args, territories: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(key, label) for key, label, _territory in territories]
        if len(territories) == 1:
            self.fields["applicant"].initial = territories[0][0]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
