"""CommuneChoiceField: resolves INSEE codes, exact names and picked choices; French errors otherwise."""

import pytest
from django import forms

from cities.forms import CommuneChoiceField, EpciChoiceField
from tests.factories import CommuneFactory, DepartementFactory, EpciFactory

pytestmark = pytest.mark.django_db


class PlaceForm(forms.Form):
    commune = CommuneChoiceField(label="Commune")


class EpciForm(forms.Form):
    epci = EpciChoiceField(label="EPCI")


@pytest.fixture
def places():
    saone, jura = DepartementFactory(code="71", name="Saône-et-Loire"), DepartementFactory(code="39", name="Jura")
    return {
        "chalon": CommuneFactory(insee_code="71076", name="Chalon-sur-Saône", departement=saone),
        "sainte_agnes_39": CommuneFactory(insee_code="39477", name="Sainte-Agnès", departement=jura),
        "sainte_agnes_71": CommuneFactory(insee_code="71391", name="Sainte-Agnès", departement=saone),
    }


@pytest.mark.parametrize("typed", ["71076", "chalon sur saone", "Chalon-sur-Saône", "Chalon-sur-Saône (71)"])
def test_typed_code_or_exact_name_resolves_without_javascript(places, typed):
    form = PlaceForm({"commune": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == places["chalon"]


def test_picked_choice_wins_over_the_typed_text(places):
    form = PlaceForm({"commune": "sainte agnes", "commune_choice": "39477"})
    assert form.is_valid()
    assert form.cleaned_data["commune"] == places["sainte_agnes_39"]


def test_unknown_commune_gets_a_french_error_and_keeps_the_typed_text(places):
    form = PlaceForm({"commune": "Atlantide"})
    assert not form.is_valid()
    assert form.errors["commune"] == [
        "Aucune commune ne correspond à « Atlantide ». Saisissez son code INSEE ou choisissez-la dans la liste."
    ]
    assert 'value="Atlantide"' in str(form["commune"])


def test_ambiguous_name_asks_to_choose_with_the_departements(places):
    form = PlaceForm({"commune": "Sainte-Agnès"})
    assert not form.is_valid()
    error = form.errors["commune"][0]
    assert "Plusieurs communes" in error and "Sainte-Agnès (39)" in error and "Sainte-Agnès (71)" in error


def test_name_with_departement_resolves_an_ambiguous_name(places):
    form = PlaceForm({"commune": "Sainte-Agnès (71)"})
    assert form.is_valid()
    assert form.cleaned_data["commune"] == places["sainte_agnes_71"]


def test_required_field_refuses_empty_input(places):
    assert "commune" in PlaceForm({"commune": ""}).errors


def test_widget_renders_htmx_search_with_results_region_and_help(places):
    html = str(PlaceForm()["commune"])
    assert 'hx-get="/communes/search/?field=commune"' in html
    assert 'hx-target="#id_commune-results"' in html
    assert 'id="id_commune-results"' in html and 'aria-live="polite"' in html
    assert 'aria-describedby="id_commune-help"' in html


def test_initial_commune_is_shown_as_its_label(places):
    html = str(PlaceForm(initial={"commune": places["chalon"].pk})["commune"])
    assert 'value="Chalon-sur-Saône (71)"' in html


def test_unchanged_initial_is_not_reported_as_changed(places):
    form = PlaceForm({"commune": "Chalon-sur-Saône (71)"}, initial={"commune": places["chalon"].pk})
    assert not form.has_changed()


def test_epci_field_resolves_siren_and_name():
    epci = EpciFactory(siren="247100589", name="CA Le Grand Chalon")
    assert EpciForm({"epci": "247100589"}).is_valid()
    form = EpciForm({"epci": "ca le grand chalon"})
    assert form.is_valid() and form.cleaned_data["epci"] == epci
    assert "Aucune intercommunalité" in EpciForm({"epci": "nope"}).errors["epci"][0]
