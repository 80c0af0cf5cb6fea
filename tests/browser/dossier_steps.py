"""Steps of an official's dossier, in the browser: sections, attachments, submission, receipt."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from applications.domain.sections import SECTIONS
from applications.models import Dossier, DossierPartner, PartnerKind

from .helpers import field_label, label, make_pdf, make_xlsx, text

# What a city official types, section by section (every required field and a few optional ones).
SECTION_VALUES = {
    "territory": {
        "territory_presentation": "Montbard, 5 000 habitants, ville-centre d'un bassin industriel (métallurgie, tubes).",
        "employment_basin": "Bassin de Montbard–Venarey-les-Laumes : 25 communes, 12 000 emplois, Vallourec.",
    },
    "skills": {
        "skills_in_shortage": "Soudeurs, techniciens de maintenance, automaticiens, chaudronniers.",
        "industries": "Métallurgie, tuyauterie industrielle, agroalimentaire.",
    },
    "training": {
        "training_courses": "Licence professionnelle maintenance des systèmes industriels ; titre RNCP technicien.",
        "training_levels": "Bac+2 à bac+3",
        "expected_learners_per_year": "40",
    },
    "premises": {
        "premises_address": "2 rue de l'Hôtel de Ville, 21500 Montbard",
        "premises_area_m2": "320",
        "premises_description": "Trois salles de cours équipées et un atelier au rez-de-chaussée, accessibles PMR.",
        "premises_available_from": "2027-09-01",
    },
    "budget": {
        "budget_total": "180000",
        "cofinancing_territory": "60000",
        "cofinancing_region": "40000",
        "cofinancing_other": "10000",
    },
    "lead": {
        "lead_name": "Claire Dumont",
        "lead_role": "Directrice générale des services",
        "lead_email": "claire.dumont@montbard.example",
        "lead_phone": "03 80 92 01 34",
    },
    "summary": {
        "title": "Le Cnam au cœur de Montbard",
        "public_summary": "Former sur place les techniciens dont l'industrie du bassin a besoin.",
    },
}
PARTNER = {
    "name": "Vallourec Montbard",
    "kind": PartnerKind.COMPANY,
    "commitment": "Accueil d'alternants.",
    "contact": "Service RH",
}


def _fill(page, model, name, value):
    box = page.get_by_label(field_label(model, name))
    if model._meta.get_field(name).choices:
        box.select_option(value)
    else:
        box.fill(value)


def fill_section(page, dossier: Dossier, key: str) -> None:
    """Open section ``key``, fill it in and save it; the next page confirms the save."""
    page.goto(reverse("applications:section", kwargs={"pk": dossier.pk, "key": key}))
    if key == "partners":
        for name, value in PARTNER.items():
            _fill(page, DossierPartner, name, value)
    else:
        for name, value in SECTION_VALUES[key].items():
            _fill(page, Dossier, name, value)
    page.get_by_role("button", name=label("Save")).click()
    expect(page.locator(".alert-success").first).to_be_visible()


def fill_sections(page, dossier: Dossier, keys) -> None:
    for key in keys:
        fill_section(page, dossier, key)


ALL_SECTIONS = [spec.key for spec in SECTIONS]


def upload(page, kind_label_msgid: str, path: Path) -> None:
    page.get_by_label(label("Type of document")).select_option(label=_choice(kind_label_msgid, page))
    page.get_by_label(label("File")).set_input_files(str(path))
    page.get_by_role("button", name=label("Add the document")).click()
    page.wait_for_load_state()


def _choice(msgid: str, page) -> str:
    """The option label as the page shows it (French or English)."""
    from django.utils import translation

    lang = page.locator("html").get_attribute("lang") or "fr"
    with translation.override(lang):
        return translation.gettext(msgid)


def upload_required_attachments(page, dossier: Dossier, tmp_path: Path) -> None:
    page.goto(reverse("applications:attachments", kwargs={"pk": dossier.pk}))
    upload(page, "Letter of commitment signed by the mayor or president", make_pdf(tmp_path / "engagement.pdf"))
    upload(page, "Council deliberation", make_pdf(tmp_path / "deliberation.pdf", "Délibération du conseil"))
    upload(page, "Budget table", make_xlsx(tmp_path / "budget.xlsx"))
    for name in ("engagement.pdf", "deliberation.pdf", "budget.xlsx"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def mandate_verified_by_the_region(dossier: Dossier) -> None:
    """Staff work outside the official's browser: a reviewer of the dossier's région verifies the holder's mandate
    (issue 10: a dossier is submitted only once Cnam staff have verified it)."""
    from django.contrib.auth.models import Group

    from accounts.models import StaffProfile
    from accounts.roles import Role
    from applications.domain import holders
    from tests.factories import UserFactory

    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name=Role.REGIONAL_REVIEWER))
    StaffProfile.objects.create(user=reviewer).regions.set([dossier.region_id])
    holders.verify_mandate(dossier=dossier, by=reviewer, basis="Lettre d'engagement signée par le maire")


def submit(page, dossier: Dossier) -> None:
    page.goto(reverse("applications:submit", kwargs={"pk": dossier.pk}))
    expect(page.get_by_role("heading", level=1)).to_contain_text(text("Confirm the submission"))
    page.get_by_role("button", name=text("Submit to wave %(number)s", number=dossier.wave.number)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(text("Submission receipt"))
