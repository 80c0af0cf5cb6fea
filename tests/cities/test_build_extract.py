"""build_territories_extract: from the package's JSON files to the shipped extract."""

import gzip
import json

import pytest
from django.core.management import call_command

from cities.extract import read_extract


@pytest.fixture
def package_dir(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    files = {
        "regions.json": [
            {"code": "27", "nom": "Bourgogne-Franche-Comté"},
            {"code": "84", "nom": "Auvergne-Rhône-Alpes"},
        ],
        "departements.json": [
            {"code": "71", "nom": "Saône-et-Loire", "region": "27"},
            {"code": "01", "nom": "Ain", "region": "84"},
        ],
        "epci.json": [
            {
                "code": "200000001",
                "nom": "CC Deux Régions",
                "type": "CC",
                "membres": [{"code": "71001"}, {"code": "71002"}, {"code": "01001"}],
            }
        ],
        "communes.json": [
            {
                "code": "71001",
                "nom": "Une",
                "type": "commune-actuelle",
                "departement": "71",
                "region": "27",
                "codesPostaux": ["71100"],
                "population": 10,
                "siren": "1",
            },
            {"code": "71002", "nom": "Deux", "type": "commune-actuelle", "departement": "71", "region": "27"},
            {
                "code": "01001",
                "nom": "Trois",
                "type": "commune-actuelle",
                "departement": "01",
                "region": "84",
                "codesPostaux": ["01400"],
                "population": 5,
                "siren": "3",
            },
            {"code": "71999", "nom": "Ancienne", "type": "commune-deleguee", "departement": "71", "region": "27"},
        ],
    }
    for name, content in files.items():
        (data / name).write_text(json.dumps(content), encoding="utf-8")
    return data


def test_build_keeps_current_communes_with_epci_and_coordinates(tmp_path, package_dir):
    coordinates = tmp_path / "coords.csv.gz"
    with gzip.open(coordinates, "wt", encoding="utf-8") as handle:
        handle.write("insee_com,lat,lng\n71001,46.5,4.5\n71001,0,0\n")
    output = tmp_path / "out.jsonl.gz"
    call_command("build_territories_extract", source=package_dir, coordinates=coordinates, output=output)
    data = read_extract(output)
    assert sorted(data.communes) == ["01001", "71001", "71002"]
    assert data.communes["71001"]["epci"] == "200000001"
    assert (data.communes["71001"]["latitude"], data.communes["71001"]["longitude"]) == (46.5, 4.5)
    assert data.communes["71002"]["population"] is None and data.communes["71002"]["postal_codes"] == []


def test_epci_region_is_the_region_of_most_members(tmp_path, package_dir):
    output = tmp_path / "out.jsonl.gz"
    call_command("build_territories_extract", source=package_dir, output=output)
    assert read_extract(output).epcis["200000001"]["region"] == "27"


def test_build_is_reproducible(tmp_path, package_dir):
    first, second = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    call_command("build_territories_extract", source=package_dir, output=first)
    call_command("build_territories_extract", source=package_dir, output=second)
    assert first.read_bytes() == second.read_bytes()
