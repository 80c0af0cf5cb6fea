"""Dossier creation, section saving, attribution and completeness, at the service level."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from applications.domain import dossiers
from applications.domain.sections import SECTIONS
from applications.models import DossierChange
from applications.queries import completeness
from applications.states import DossierStatus
from tests.factories import (
    CampaignFactory,
    CommuneFactory,
    DossierFactory,
    EpciFactory,
    UserFactory,
    WaveFactory,
    official,
)

from .dossier_support import fill_sections

pytestmark = pytest.mark.django_db


def _open_campaign(prefix="AMI2"):
    campaign = CampaignFactory(reference_prefix=prefix)
    WaveFactory(campaign=campaign, number=1)
    return campaign


def test_create_dossier_generates_a_campaign_reference_and_targets_the_open_wave():
    campaign = _open_campaign()
    user = official()
    dossier = dossiers.create_dossier(campaign=campaign, by=user, commune=user.official_profile.commune)
    assert dossier.reference.startswith("AMI2-20") and dossier.reference.endswith("-00001")
    assert dossier.wave == campaign.waves.get()
    assert dossier.status == DossierStatus.DRAFT and dossier.owner == user


def test_references_follow_each_other_within_a_campaign():
    campaign = _open_campaign()
    first = dossiers.create_dossier(campaign=campaign, by=UserFactory(), commune=CommuneFactory())
    second = dossiers.create_dossier(campaign=campaign, by=UserFactory(), epci=EpciFactory())
    assert first.reference[-5:] == "00001" and second.reference[-5:] == "00002"


def test_second_dossier_for_the_same_commune_carries_the_dossier_but_not_who_holds_it():
    # Issue 10: a stranger is told the territory's dossier is held, never by whom.
    campaign = _open_campaign()
    holder = UserFactory(first_name="Jeanne", last_name="Martin", email="jeanne.martin@ville.fr")
    commune = CommuneFactory()
    first = dossiers.create_dossier(campaign=campaign, by=holder, commune=commune)
    with pytest.raises(dossiers.DossierAlreadyExists) as held:
        dossiers.create_dossier(campaign=campaign, by=UserFactory(), commune=commune)
    assert held.value.dossier == first
    assert not hasattr(held.value, "holder_name") and not hasattr(held.value, "holder_email")
    assert "Martin" not in str(held.value) and "jeanne" not in str(held.value)


def test_sections_save_independently_and_keep_other_sections():
    dossier = DossierFactory(skills_in_shortage="Soudure")
    dossiers.save_section(dossier=dossier, section="territory", data={"employment_basin": "Bassin"}, by=dossier.owner)
    dossier.refresh_from_db()
    assert dossier.employment_basin == "Bassin" and dossier.skills_in_shortage == "Soudure"


def test_saving_a_section_records_who_changed_which_fields():
    dossier = DossierFactory()
    dossiers.save_section(
        dossier=dossier,
        section="training",
        data={"training_levels": "bac+2", "training_courses": ""},
        by=dossier.owner,
    )
    change = DossierChange.objects.get()
    assert (change.by, change.section, change.fields) == (dossier.owner, "training", ["training_levels"])


def test_saving_unchanged_values_records_nothing():
    dossier = DossierFactory()
    dossiers.save_section(dossier=dossier, section="summary", data={"title": dossier.title}, by=dossier.owner)
    assert not DossierChange.objects.exists()


def test_submitted_dossier_cannot_be_edited():
    dossier = DossierFactory(status=DossierStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        dossiers.save_section(dossier=dossier, section="summary", data={"title": "x"}, by=dossier.owner)


def test_stranger_cannot_save_a_section():
    dossier = DossierFactory()
    with pytest.raises(PermissionDenied):
        dossiers.save_section(dossier=dossier, section="summary", data={"title": "x"}, by=UserFactory())


def test_negative_amount_is_refused_by_the_model():
    dossier = DossierFactory()
    with pytest.raises(ValidationError):
        dossiers.save_section(dossier=dossier, section="budget", data={"budget_total": Decimal("-1")}, by=dossier.owner)


def test_completeness_lists_every_missing_item_with_its_anchor():
    dossier = DossierFactory(title="", public_summary="")
    with translation.override("en"):
        missing = completeness.dossier_completeness(dossier)
    assert {item.section for item in missing} == {spec.key for spec in SECTIONS}
    title = next(item for item in missing if item.field == "title")
    assert title.url.endswith(f"/dossiers/{dossier.pk}/sections/summary/#id_title")
    assert title.label == "Project title"


def test_completeness_is_empty_for_a_complete_dossier():
    dossier = fill_sections(DossierFactory())
    assert completeness.dossier_completeness(dossier) == []


def test_database_constraint_reports_the_holder_when_two_officials_race(monkeypatch):
    campaign = _open_campaign()
    commune = CommuneFactory()
    holder = UserFactory()
    dossiers.create_dossier(campaign=campaign, by=holder, commune=commune)
    real = dossiers.existing_dossier
    calls = []

    def first_check_misses(**kwargs):
        # The first look-up happens "before" the other official's insert: only the constraint can catch it.
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(dossiers, "existing_dossier", first_check_misses)
    with pytest.raises(dossiers.DossierAlreadyExists) as held:
        dossiers.create_dossier(campaign=campaign, by=UserFactory(), commune=commune)
    assert held.value.dossier.owner == holder
