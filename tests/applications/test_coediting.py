"""Co-editors never overwrite each other silently: per-field bases, conflicts shown with both versions, stale
autosaves refused (service level and through the section and autosave URLs)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain import coediting, dossiers
from applications.models import DossierChange, DossierMember
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

TERRITORY = ["territory_presentation", "employment_basin"]


@pytest.fixture
def team():
    """A dossier with its owner and one co-editor, and the section as both loaded it a minute ago."""
    dossier = DossierFactory(territory_presentation="Ville moyenne", employment_basin="Bassin d'origine")
    colleague = UserFactory(first_name="Paul", last_name="Durand")
    DossierMember.objects.create(dossier=dossier, user=colleague)
    base = coediting.EditBase.of(dossier, TERRITORY, now=timezone.now() - timedelta(minutes=1))
    return dossier, dossier.owner, colleague, base


def _save(dossier, by, base, **values):
    data = {"territory_presentation": dossier.territory_presentation, "employment_basin": dossier.employment_basin}
    data.update(values)
    return dossiers.save_section(dossier=dossier, section="territory", data=data, by=by, base=base)


def _stored(dossier, field):
    dossier.refresh_from_db()
    return getattr(dossier, field)


def test_second_editor_of_the_same_field_gets_a_conflict_and_the_first_text_stays(team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Texte de l'élue")
    result = _save(
        DossierFactory._meta.model.objects.get(pk=dossier.pk), colleague, base, employment_basin="Texte du collègue"
    )
    assert [c.field for c in result.conflicts] == ["employment_basin"]
    conflict = result.conflicts[0]
    assert (conflict.theirs, conflict.mine, conflict.by) == ("Texte de l'élue", "Texte du collègue", owner)
    assert _stored(dossier, "employment_basin") == "Texte de l'élue"


def test_editors_of_different_fields_keep_each_others_changes(team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Nouveau bassin")
    # The colleague's form still holds the old basin text: it must not be written back.
    result = _save(
        DossierFactory._meta.model.objects.get(pk=dossier.pk),
        colleague,
        base,
        territory_presentation="Nouvelle présentation",
    )
    assert result.conflicts == [] and result.changed == ["territory_presentation"]
    dossier.refresh_from_db()
    assert (dossier.employment_basin, dossier.territory_presentation) == ("Nouveau bassin", "Nouvelle présentation")


def test_a_save_writes_only_the_fields_that_changed_and_attributes_them(team):
    dossier, owner, _colleague, base = team
    result = _save(dossier, owner, base, territory_presentation="Autre présentation")
    assert result.changed == ["territory_presentation"]
    change = DossierChange.objects.get()
    assert (change.by, change.fields) == (owner, ["territory_presentation"])


def test_choosing_the_other_version_leaves_it_in_place(team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Texte de l'élue")
    result = dossiers.save_section(
        dossier=dossier,
        section="territory",
        by=colleague,
        base=base,
        keep_theirs=frozenset({"employment_basin"}),
        data={"territory_presentation": "Ville moyenne", "employment_basin": "Texte du collègue"},
    )
    assert result.conflicts == [] and result.changed == []
    assert _stored(dossier, "employment_basin") == "Texte de l'élue"


def test_keeping_my_version_after_seeing_the_conflict_writes_it(team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Texte de l'élue")
    seen = coediting.EditBase.of(DossierFactory._meta.model.objects.get(pk=dossier.pk), TERRITORY)
    result = _save(
        DossierFactory._meta.model.objects.get(pk=dossier.pk), colleague, seen, employment_basin="Texte du collègue"
    )
    assert result.conflicts == [] and result.changed == ["employment_basin"]
    assert _stored(dossier, "employment_basin") == "Texte du collègue"


def test_my_own_full_save_supersedes_my_earlier_autosave(team):
    dossier, owner, _colleague, base = team
    dossiers.autosave_field(
        dossier=dossier,
        section="territory",
        field="employment_basin",
        raw_value="Brouillon",
        by=owner,
        base_fingerprint=base.fingerprints["employment_basin"],
    )
    # The full save left the page before the autosave's answer came back: it still carries the old base.
    result = _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Final")
    assert result.conflicts == []
    assert _stored(dossier, "employment_basin") == "Final"


def test_delayed_autosave_after_my_own_full_save_is_refused(team):
    dossier, owner, _colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Final")
    with pytest.raises(dossiers.StaleAutosave):
        dossiers.autosave_field(
            dossier=dossier,
            section="territory",
            field="employment_basin",
            raw_value="Brouillon",
            by=owner,
            base_fingerprint=base.fingerprints["employment_basin"],
        )
    assert _stored(dossier, "employment_basin") == "Final"


def test_delayed_autosave_after_a_colleagues_save_is_refused_and_names_them(team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Texte de l'élue")
    with pytest.raises(dossiers.StaleAutosave) as refused:
        dossiers.autosave_field(
            dossier=dossier,
            section="territory",
            field="employment_basin",
            raw_value="Autre",
            by=colleague,
            base_fingerprint=base.fingerprints["employment_basin"],
        )
    assert refused.value.change.by == owner
    assert _stored(dossier, "employment_basin") == "Texte de l'élue"


def test_fingerprints_agree_on_equal_values_of_different_types():
    from decimal import Decimal

    assert coediting.fingerprint(None) == coediting.fingerprint("")
    assert coediting.fingerprint(Decimal("80000.50")) == coediting.fingerprint(Decimal("80000.5"))
    assert coediting.fingerprint("a") != coediting.fingerprint("b")


# --- through the URLs ------------------------------------------------------------------------------------------


def _post_data(dossier, base, **values):
    data = {
        "territory_presentation": dossier.territory_presentation,
        "employment_basin": dossier.employment_basin,
        "save": "",
    }
    data.update(values)
    data.update({name: value for name, _id, value in base.as_hidden_fields()})
    return data


def test_section_page_carries_the_base_of_every_field(client, team):
    dossier, owner, _colleague, _base = team
    client.force_login(owner)
    page = client.get(reverse("applications:section", kwargs={"pk": dossier.pk, "key": "territory"})).text
    expected = coediting.fingerprint("Bassin d'origine")
    assert f'name="_base_employment_basin" id="base-employment_basin" value="{expected}"' in page
    assert 'name="_loaded_at"' in page


def test_conflicting_save_shows_both_versions_and_keeps_my_text_in_the_field(client, team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Texte de l'élue")
    client.force_login(colleague)
    url = reverse("applications:section", kwargs={"pk": dossier.pk, "key": "territory"})
    response = client.post(
        url,
        _post_data(dossier, base, employment_basin="Texte du collègue", territory_presentation="Présentation revue"),
    )
    assert response.status_code == 409
    page = response.text
    assert "Texte de l&#x27;élue" in page  # their version, shown
    assert "Texte du collègue</textarea>" in page  # mine, still in the field
    assert "Version enregistrée par" in page and 'value="theirs"' in page
    dossier.refresh_from_db()
    assert (dossier.employment_basin, dossier.territory_presentation) == ("Texte de l'élue", "Présentation revue")


def test_autosave_answers_with_the_new_base_of_its_field(client, team):
    dossier, owner, _colleague, base = team
    client.force_login(owner)
    url = reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"})
    response = client.post(url, {"employment_basin": "Nouveau", **dict((n, v) for n, _i, v in base.as_hidden_fields())})
    assert response.status_code == 200
    assert f'id="base-employment_basin" value="{coediting.fingerprint("Nouveau")}" hx-swap-oob="true"' in response.text


def test_stale_autosave_answers_409_naming_who_changed_the_text(client, team):
    dossier, owner, colleague, base = team
    _save(DossierFactory._meta.model.objects.get(pk=dossier.pk), owner, base, employment_basin="Texte de l'élue")
    client.force_login(colleague)
    url = reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"})
    response = client.post(url, {"employment_basin": "Autre", **dict((n, v) for n, _i, v in base.as_hidden_fields())})
    assert response.status_code == 409
    assert "Non enregistré" in response.text and str(owner) in response.text
    assert _stored(dossier, "employment_basin") == "Texte de l'élue"
