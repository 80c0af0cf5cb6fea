"""Each export format opens with a real reader, keeps accents, and honours the filters."""

import csv
import io
import json
from datetime import timedelta

import openpyxl
import pytest
import tablib
import time_machine

from public.exports import KEYS

from .conftest import PUBLISHES_AT

AFTER = PUBLISHES_AT + timedelta(days=1)
BEFORE = PUBLISHES_AT - timedelta(days=1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("laureates")]


@pytest.fixture
def export(client_for):
    client = client_for("press")

    def _export(when=AFTER, **data):
        with time_machine.travel(when, tick=False):
            response = client.post("/presse/exports/", {"campaign": "ami2", **data})
            raw = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, raw[:500]
        return response, raw

    return _export


def test_excel_csv_has_a_bom_and_semicolons_and_keeps_accents(export):
    _response, raw = export(format="csv")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    cities = {row[0]: row for row in rows[1:]}
    assert set(cities) == {"Chalon-sur-Saône", "Évry-Courcouronnes"}
    assert cities["Évry-Courcouronnes"][4] == "Île-de-France"
    assert cities["Chalon-sur-Saône"][3] == "Saône-et-Loire"


def test_plain_csv_uses_commas_without_bom(export):
    _response, raw = export(format="csv-comma")
    assert not raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows) == 3 and len(rows[0]) == len(KEYS)
    assert "Île-de-France" in {row[4] for row in rows}


def test_xlsx_opens_with_openpyxl_and_keeps_accents(export):
    response, raw = export(format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert {row[0] for row in values[1:]} == {"Chalon-sur-Saône", "Évry-Courcouronnes"}
    assert "Île-de-France" in {row[4] for row in values[1:]}
    assert 45000 in {row[5] for row in values[1:]}


def test_ods_opens_with_tablib_and_keeps_accents(export):
    _response, raw = export(format="ods")
    data = tablib.Dataset().load(raw, format="ods")
    assert {row[0] for row in data} == {"Chalon-sur-Saône", "Évry-Courcouronnes"}
    assert "Île-de-France" in data.get_col(4)


def test_json_parses_and_keeps_accents(export):
    _response, raw = export(format="json")
    document = json.loads(raw)
    assert document["embargo_until"] is None
    by_code = {row["code_insee"]: row for row in document["laureates"]}
    assert by_code["91228"]["region"] == "Île-de-France"
    assert by_code["71076"]["ville"] == "Chalon-sur-Saône"
    assert by_code["71076"]["programmes"] == "Action Cœur de Ville"
    assert by_code["71076"]["date_decision"] == "2021-02-14"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_spreadsheet_sheet_title_carries_the_embargo(export, fmt):
    response, raw = export(when=BEFORE, format=fmt)
    assert "EMBARGO-jusqu-au-2021-03-15T10h00" in response["Content-Disposition"]
    if fmt == "xlsx":
        title = openpyxl.load_workbook(io.BytesIO(raw)).active.title
    else:
        title = tablib.Dataset().load(raw, format="ods").title or _ods_table_name(raw)
    assert title == "EMBARGO 2021-03-15 10h00"


def _ods_table_name(raw):
    from odf.opendocument import load
    from odf.table import Table

    return load(io.BytesIO(raw)).spreadsheet.getElementsByType(Table)[0].getAttribute("name")


def test_json_before_publication_states_the_embargo(export):
    _response, raw = export(when=BEFORE, format="json")
    document = json.loads(raw)
    assert document["embargo_until"].startswith("2021-03-15T09:00:00")  # 10:00 Paris is 09:00 UTC
    assert "15/03/2021" in document["embargo_notice"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"region": "11"}, {"Évry-Courcouronnes"}),
        ({"departement": "71"}, {"Chalon-sur-Saône"}),
        ({"programme": "acv"}, {"Chalon-sur-Saône"}),
        ({"programme": "ti"}, {"Évry-Courcouronnes"}),
        ({}, {"Chalon-sur-Saône", "Évry-Courcouronnes"}),
    ],
)
def test_export_filters(export, filters, expected):
    _response, raw = export(format="json", **filters)
    assert {row["ville"] for row in json.loads(raw)["laureates"]} == expected


def test_export_of_all_campaigns_includes_other_campaigns(client_for, wave):
    from tests.factories import CommuneFactory, WaveFactory

    from .conftest import laureate

    other = WaveFactory(
        campaign__slug="ami1", opens_at=wave.opens_at, closes_at=wave.closes_at, publishes_at=wave.publishes_at
    )
    laureate(other, commune=CommuneFactory(name="Bourg-en-Bresse"))
    client = client_for("press")
    with time_machine.travel(AFTER, tick=False):
        response = client.post("/presse/exports/", {"format": "json"})
    names = {row["ville"] for row in json.loads(b"".join(response.streaming_content))["laureates"]}
    assert names == {"Chalon-sur-Saône", "Évry-Courcouronnes", "Bourg-en-Bresse"}
    assert 'filename="laureats-toutes-campagnes.json"' in response["Content-Disposition"]


def test_wave_of_another_campaign_is_a_form_error_not_an_export(client_for):
    client = client_for("press")
    response = client.post("/presse/exports/", {"campaign": "ami2", "wave": 7, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["wave"]


def test_open_data_json_carries_the_licence(client_for):
    with time_machine.travel(AFTER, tick=False):
        response = client_for("anonymous").get("/donnees/laureats.json")
    document = json.loads(b"".join(response.streaming_content))
    assert "Etalab 2.0" in document["licence"]
    assert len(document["laureates"]) == 2
