"""Large exports go through an ExportJob: queued, progressing, done, downloadable only by the right people."""

import io
from datetime import timedelta

import openpyxl
import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Dossier
from applications.states import DossierStatus
from cities.models import Commune
from notifications.models import EmailKind, OutboxMessage
from public.models import ExportJob, ExportJobStatus
from public.services import export_job_run
from tests.factories import DepartementFactory

from .conftest import in_group

ROWS = 5000


@pytest.fixture
def many_laureates(wave):
    departement = DepartementFactory(code="71", name="Saône-et-Loire", region__code="27", region__name="Bourgogne")
    Commune.objects.bulk_create(
        Commune(
            insee_code=f"{10000 + i:05d}",
            name=f"Saint-Rémy-{i}",
            search_name=f"saint remy {i}",
            departement=departement,
            region=departement.region,
            population=1000 + i,
        )
        for i in range(ROWS)
    )
    communes = Commune.objects.filter(insee_code__startswith="1").order_by("insee_code")
    Dossier.objects.bulk_create(
        Dossier(
            campaign=wave.campaign,
            wave=wave,
            reference=f"BULK-{c.insee_code}",
            commune=c,
            region=c.region,
            status=DossierStatus.LAUREATE,
            decided_at=wave.closes_at + timedelta(days=1),
            title="Projet",
        )
        for c in communes
    )
    return wave


@pytest.fixture
def press_client(client_for):
    return client_for("press")


def request_export(client, fmt="xlsx"):
    return client.post("/presse/exports/", {"campaign": "ami2", "format": fmt})


@pytest.mark.django_db
def test_large_xlsx_export_becomes_a_job_that_waits_then_completes(
    many_laureates, press_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = request_export(press_client)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/presse/exports/{job.pk}/"
    assert (job.status, job.progress) == (ExportJobStatus.PENDING, 0)
    waiting = press_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "hx-trigger" in waiting

    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    progress_updates = [
        q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and '"progress"' in q["sql"]
    ]
    assert len(progress_updates) >= ROWS // 500 - 1

    job.refresh_from_db()
    assert (job.status, job.progress, job.row_count) == (ExportJobStatus.DONE, 100, ROWS)
    assert job.finished_at is not None


@pytest.mark.django_db
def test_finished_job_file_has_every_row(many_laureates, press_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_export(press_client)
    job = ExportJob.objects.get()
    page = press_client.get(f"/presse/exports/{job.pk}/").content.decode()
    assert f"/presse/exports/{job.pk}/telecharger/" in page and 'http-equiv="refresh"' not in page
    download = press_client.get(f"/presse/exports/{job.pk}/telecharger/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == ROWS + 1
    assert download["Content-Disposition"].startswith('attachment; filename="laureats-ami2')


@pytest.mark.django_db
def test_finished_job_is_mailed_once_to_its_requester_with_the_download_link(
    many_laureates, press_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_export(press_client)
    job = ExportJob.objects.get()
    message = OutboxMessage.objects.get(kind=EmailKind.EXPORT_READY)
    assert message.recipient == job.requested_by.email
    assert f"/presse/exports/{job.pk}/telecharger/" in message.body_text and job.filename in message.body_text


@pytest.mark.django_db
def test_large_ods_export_also_goes_through_a_job(many_laureates, press_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = request_export(press_client, fmt="ods")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportJobStatus.DONE
    with job.file.open("rb") as handle:
        assert len(tablib.Dataset().load(handle.read(), format="ods")) == ROWS


@pytest.mark.django_db
def test_large_csv_streams_instead_of_making_a_job(many_laureates, press_client):
    response = request_export(press_client, fmt="csv")
    assert response.streaming
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == ROWS + 1
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_htmx_poll_gets_only_the_status_fragment(many_laureates, press_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        request_export(press_client)
    job = ExportJob.objects.get()
    fragment = press_client.get(f"/presse/exports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"') and "<html" not in fragment


@pytest.mark.django_db
def test_job_runs_only_once(wave, press_client, django_capture_on_commit_callbacks, settings):
    settings.PUBLIC_EXPORT_SYNC_MAX_ROWS = -1  # every XLSX becomes a job
    with django_capture_on_commit_callbacks(execute=True):
        request_export(press_client)
    job = ExportJob.objects.get()
    first_file = job.file.name
    assert export_job_run(job_id=job.pk).file.name == first_file


@pytest.mark.django_db
@pytest.mark.parametrize("role, expected", [("press", 404), ("official", 403), ("coordinator", 200)])
def test_job_download_belongs_to_its_requester_and_coordinators(
    wave, client_for, role, expected, django_capture_on_commit_callbacks, settings
):
    from tests.factories import UserFactory

    settings.PUBLIC_EXPORT_SYNC_MAX_ROWS = -1
    requester = in_group(UserFactory(), "Press")
    client = client_for("anonymous")
    client.force_login(requester)
    with django_capture_on_commit_callbacks(execute=True):
        request_export(client)
    job = ExportJob.objects.get()
    client.logout()
    other = client_for(role)
    assert other.get(f"/presse/exports/{job.pk}/telecharger/").status_code == expected
    assert other.get(f"/presse/exports/{job.pk}/").status_code == expected
