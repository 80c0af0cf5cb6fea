"""The sections of a dossier, in one registry: key, title, form, and the fields required at submission.

Views, the completeness check, the progress bar and the submission checklist all read this list.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from applications.forms import sections as forms

PARTNERS = "partners"


@dataclass(frozen=True)
class SectionSpec:
    key: str
    number: int
    title: str
    form_class: type | None
    required: tuple[str, ...] = ()
    # Sections edited through a formset of related rows instead of dossier fields.
    formset_class: type | None = None
    min_rows: int = 0

    @property
    def fields(self) -> list[str]:
        return list(self.form_class._meta.fields) if self.form_class else []


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "territory",
        1,
        _("The territory and its employment basin"),
        forms.TerritoryForm,
        required=("territory_presentation", "employment_basin"),
    ),
    SectionSpec(
        "skills",
        2,
        _("Skills in shortage and the industries that need them"),
        forms.SkillsForm,
        required=("skills_in_shortage", "industries"),
    ),
    SectionSpec(
        "training",
        3,
        _("Training offer wanted"),
        forms.TrainingForm,
        required=("training_courses", "training_levels", "expected_learners_per_year"),
    ),
    SectionSpec(
        PARTNERS, 4, _("Local partners and their commitment"), None, formset_class=forms.PartnerFormSet, min_rows=1
    ),
    SectionSpec(
        "premises", 5, _("Premises offered"), forms.PremisesForm, required=("premises_address", "premises_description")
    ),
    SectionSpec("budget", 6, _("Budget and co-financing"), forms.BudgetForm, required=("budget_total",)),
    SectionSpec(
        "lead", 7, _("Project lead and contacts"), forms.LeadForm, required=("lead_name", "lead_email", "lead_phone")
    ),
    SectionSpec(
        "summary", 8, _("Project title and public summary"), forms.SummaryForm, required=("title", "public_summary")
    ),
)

BY_KEY = {spec.key: spec for spec in SECTIONS}


def get_section(key: str) -> SectionSpec | None:
    return BY_KEY.get(key)


def next_section(spec: SectionSpec) -> SectionSpec | None:
    return SECTIONS[spec.number] if spec.number < len(SECTIONS) else None
