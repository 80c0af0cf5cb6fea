"""Loading the extract: counts, idempotence, updates, and all-or-nothing on a bad file."""

import copy

import pytest
from django.core.management import CommandError, call_command

from cities.extract import TerritoryDataError
from cities.models import Commune, Departement, Epci, Region
from cities.services import load_territories

from .conftest import RECORDS, write_extract

pytestmark = pytest.mark.django_db


def test_load_creates_every_record_of_the_extract(small_extract):
    report = load_territories(path=small_extract, programmes=False)
    assert (Region.objects.count(), Departement.objects.count(), Epci.objects.count(), Commune.objects.count()) == (
        2,
        3,
        1,
        4,
    )
    assert report["communes"].created == 4


def test_loaded_commune_has_search_fields_epci_and_coordinates(small_extract):
    load_territories(path=small_extract, programmes=False)
    commune = Commune.objects.select_related("epci", "departement", "region").get(insee_code="71076")
    assert commune.search_name == "chalon sur saone"
    assert commune.postal_codes_text == "71100"
    assert commune.epci.name == "CA Le Grand Chalon"
    assert (commune.departement.code, commune.region.code) == ("71", "27")
    assert (commune.latitude, commune.longitude) == (46.7897, 4.8521)
    assert Commune.objects.get(insee_code="97411").postal_codes_text == "97400 97490"


def test_second_load_changes_nothing(small_extract):
    load_territories(path=small_extract, programmes=False)
    report = load_territories(path=small_extract, programmes=False)
    assert all(c.created == 0 and c.updated == 0 for c in report.values())
    assert report["communes"].unchanged == 4


def test_changed_name_and_population_are_updated(tmp_path, small_extract):
    load_territories(path=small_extract, programmes=False)
    records = copy.deepcopy(RECORDS)
    records[-1][2], records[-1][7] = "Saint-Denis-de-la-Réunion", 160000
    report = load_territories(path=write_extract(tmp_path / "v2.jsonl.gz", records), programmes=False)
    commune = Commune.objects.get(insee_code="97411")
    assert (commune.name, commune.search_name, commune.population) == (
        "Saint-Denis-de-la-Réunion",
        "saint denis de la reunion",
        160000,
    )
    assert (report["communes"].updated, report["communes"].unchanged) == (1, 3)


def test_malformed_line_is_named_and_nothing_is_kept(tmp_path):
    path = write_extract(tmp_path / "bad.jsonl.gz", raw_lines=['["C", "71076", "Chalon"'])
    with pytest.raises(TerritoryDataError, match=r"bad\.jsonl\.gz, (line|ligne) 12"):
        load_territories(path=path, programmes=False)
    assert not Region.objects.exists() and not Commune.objects.exists()


def test_reference_to_unknown_departement_is_named(tmp_path):
    records = [*RECORDS, ["C", "99001", "Nulle-Part", "99", "27", None, [], 1, "", None, None]]
    with pytest.raises(TerritoryDataError, match=r"(line|ligne) 12.*99"):
        load_territories(path=write_extract(tmp_path / "bad.jsonl.gz", records), programmes=False)
    assert not Commune.objects.exists()


def test_file_that_is_not_an_extract_is_refused(tmp_path):
    path = tmp_path / "plain.jsonl.gz"
    path.write_text("not gzip")
    with pytest.raises(TerritoryDataError, match="plain.jsonl.gz"):
        load_territories(path=path, programmes=False)


def test_wrong_header_is_refused_on_line_1(tmp_path):
    path = write_extract(tmp_path / "old.jsonl.gz", header={"format": "other", "version": 1})
    with pytest.raises(TerritoryDataError, match=r"(line|ligne) 1\b"):
        load_territories(path=path, programmes=False)


def test_error_message_is_in_french(tmp_path):
    path = write_extract(tmp_path / "bad.jsonl.gz", raw_lines=["{oops"])
    with pytest.raises(TerritoryDataError, match=r"bad\.jsonl\.gz, ligne 12 : JSON invalide"):
        load_territories(path=path, programmes=False)


def test_command_prints_counts(small_extract, capsys):
    call_command("load_territories", path=small_extract, no_programmes=True)
    call_command("load_territories", path=small_extract, no_programmes=True)
    out = capsys.readouterr().out
    assert "communes: 4 " in out
    assert out.strip().splitlines()[-1].startswith("communes: 0 ")


def test_command_reports_bad_file_as_command_error(tmp_path):
    path = write_extract(tmp_path / "bad.jsonl.gz", raw_lines=["[1, 2]"])
    with pytest.raises(CommandError, match="12"):
        call_command("load_territories", path=path)
