"""Import of earlier laureates and their antennas from a CSV: good file, bad line, re-import."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from applications.models import Dossier
from network.imports import AntennaImportError, import_antennas, parse_antenna_csv
from network.models import Antenna, AntennaLogAction, AntennaLogEntry
from network.status import AntennaStatus

pytestmark = pytest.mark.django_db

GOOD = (
    "\ufeffcode_insee;titre;resume;convention_signee_le;ouverture_prevue_le;ouverte_le;adresse;formations\n"
    "71076;Antenne de Chalon;;2019-12-02;2020-01-06;13/01/2020;2 rue de la Gare;Titre pro paie|Licence pro\n"
    "29232;;;;2021-09-01;;;\n"
)


def run(wave, text):
    return import_antennas(campaign=wave.campaign, wave=wave, lines=parse_antenna_csv(text))


def test_a_good_file_creates_laureates_and_antennas_with_their_milestones(wave, chalon, quimper):
    counts = run(wave, GOOD)
    chalon_antenna = Antenna.objects.get(dossier__commune=chalon)
    assert counts == {"laureates": 2, "antennas": 2, "updated": 0}
    assert (chalon_antenna.convention_signed_on, chalon_antenna.opened_on) == (date(2019, 12, 2), date(2020, 1, 13))
    assert chalon_antenna.training_path_list == ["Titre pro paie", "Licence pro"]
    assert chalon_antenna.status_on(date(2020, 2, 1)) == AntennaStatus.OPEN
    assert Antenna.objects.get(dossier__commune=quimper).status_on(date(2022, 1, 1)) == AntennaStatus.LAUREATE
    assert AntennaLogEntry.objects.filter(action=AntennaLogAction.IMPORTED).count() == 2


def test_reimporting_the_same_file_changes_and_logs_nothing(wave, chalon, quimper):
    run(wave, GOOD)
    entries = AntennaLogEntry.objects.count()
    assert run(wave, GOOD) == {"laureates": 0, "antennas": 0, "updated": 0}
    assert (Dossier.objects.count(), Antenna.objects.count(), AntennaLogEntry.objects.count()) == (2, 2, entries)


def test_reimporting_with_a_new_date_updates_the_antenna(wave, chalon, quimper):
    run(wave, GOOD)
    run(wave, GOOD.replace("29232;;;;2021-09-01;;;", "29232;;;2021-05-01;2021-09-01;;;"))
    assert Antenna.objects.get(dossier__commune=quimper).convention_signed_on == date(2021, 5, 1)


def test_a_bad_date_names_its_line_in_french_and_nothing_is_imported(wave, chalon, quimper):
    text = GOOD.replace("2021-09-01", "1er septembre")
    with translation.override("fr"), pytest.raises(AntennaImportError) as error:
        run(wave, text)
    assert error.value.errors == [
        "Ligne 3 : « 1er septembre » dans la colonne ouverture_prevue_le n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)."
    ]
    assert not Dossier.objects.exists()


def test_an_unknown_commune_names_its_line_and_nothing_is_imported(wave, chalon):
    with translation.override("fr"), pytest.raises(AntennaImportError) as error:
        run(wave, GOOD)
    assert error.value.errors == ["Ligne 3 : code INSEE inconnu « 29232 »."]
    assert not Dossier.objects.exists() and not Antenna.objects.exists()


def test_an_opening_before_the_signature_names_its_line(wave, chalon, quimper):
    text = GOOD.replace("13/01/2020", "01/11/2019")
    with translation.override("fr"), pytest.raises(AntennaImportError) as error:
        run(wave, text)
    assert error.value.errors == ["Ligne 2 : La date d'ouverture ne peut pas précéder la signature de la convention."]
    assert not Dossier.objects.exists()


def test_the_command_imports_a_file_and_refuses_a_bad_one(wave, chalon, quimper, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text("code_insee\n99999\n", encoding="utf-8")
    call_command("import_antennas", str(good), campaign=wave.campaign.slug, wave=1)
    assert Antenna.objects.count() == 2
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command("import_antennas", str(bad), campaign=wave.campaign.slug, wave=1)
