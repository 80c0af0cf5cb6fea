"""The network in the admin: regional staff see and update only their régions' antennas; changes are logged;
the signed agreement is a checked PDF served by a permission-checking view; the coverage panel and map."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.states import DossierStatus
from network.models import AntennaLogAction, AntennaLogEntry, AntennaReport, CnamCentre
from tests.factories import DossierFactory, UserFactory, official

from .conftest import antenna, in_group, laureate

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Convention")
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture
def two_antennas(wave, chalon, quimper):
    return antenna(laureate(wave, commune=chalon)), antenna(laureate(wave, commune=quimper))


@pytest.fixture
def coordinator():
    return in_group(UserFactory(is_staff=True), Role.COORDINATOR)


def test_regional_staff_list_only_their_regions_antennas(client, two_antennas, regional_staff, burgundy):
    client.force_login(regional_staff(burgundy.region))
    response = client.get(reverse("admin:network_antenna_changelist"))
    assert [a.dossier.commune.name for a in response.context["cl"].result_list] == ["Chalon-sur-Saône"]


def test_another_regions_antenna_is_404_for_regional_staff(client, two_antennas, regional_staff, burgundy):
    client.force_login(regional_staff(burgundy.region))
    url = reverse("admin:network_antenna_change", args=[two_antennas[1].pk])
    assert client.get(url).status_code == 404


def test_coordinators_see_every_antenna(client, two_antennas, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:network_antenna_changelist"))
    assert len(response.context["cl"].result_list) == 2


def _form(**values):
    data = {
        "address": "",
        "convention_signed_on": "",
        "opening_planned_on": "",
        "opened_on": "",
        "training_paths": "",
        "suspended_on": "",
        "closed_on": "",
        "interruption_reason": "",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "log-TOTAL_FORMS": "0",
        "log-INITIAL_FORMS": "0",
    }
    data.update(values)
    return data


def test_regional_staff_update_milestones_and_the_change_is_logged(client, two_antennas, regional_staff, burgundy):
    staff = regional_staff(burgundy.region)
    client.force_login(staff)
    item = two_antennas[0]
    upload = SimpleUploadedFile("convention.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("admin:network_antenna_change", args=[item.pk]),
        _form(convention_signed_on="02/12/2019", convention_pdf=upload),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.convention_signed_on == date(2019, 12, 2) and item.convention_pdf.name.endswith(".pdf")
    entry = AntennaLogEntry.objects.get(antenna=item)
    assert (entry.action, entry.actor) == (AntennaLogAction.MILESTONES, staff)
    assert entry.changes["convention_signed_on"] == [None, "2019-12-02"]


def test_an_agreement_that_is_not_a_pdf_is_refused(client, two_antennas, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("convention.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("admin:network_antenna_change", args=[two_antennas[0].pk]),
        _form(convention_signed_on="02/12/2019", convention_pdf=upload),
    )
    assert response.status_code == 200
    assert "La convention signée doit être un fichier PDF." in response.content.decode()
    assert not AntennaLogEntry.objects.exists()


def test_the_agreement_is_served_to_staff_and_officials_of_the_antenna_only(
    client, two_antennas, regional_staff, burgundy, brittany
):
    item = two_antennas[0]
    item.convention_signed_on = date(2019, 12, 2)
    item.convention_pdf.save("c.pdf", io.BytesIO(pdf_bytes()), save=True)
    url = reverse("network:convention", kwargs={"pk": item.pk})
    for user, expected in [
        (regional_staff(burgundy.region), 200),
        (item.dossier.owner, 200),
        (regional_staff(brittany.region), 404),
        (official(), 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response["Cache-Control"] == "private, no-store"


def test_regional_staff_validate_reports_of_their_region_only(client, two_antennas, regional_staff, burgundy):
    now_reports = []
    for item in two_antennas:
        item.convention_signed_on, item.opened_on = date(2020, 1, 1), date(2020, 2, 1)
        item.save()
        now_reports.append(
            AntennaReport.objects.create(
                antenna=item, year=2021, enrolments=4, submitted_at="2022-01-10T10:00:00+01:00"
            )
        )
    client.force_login(regional_staff(burgundy.region))
    client.post(
        reverse("admin:network_antennareport_changelist"),
        {"action": "validate", "_selected_action": [r.pk for r in now_reports]},
    )
    validated = {r.antenna.dossier.commune.name: r.is_validated for r in AntennaReport.objects.all()}
    assert validated == {"Chalon-sur-Saône": True, "Quimper": False}


def test_the_log_is_read_only_in_the_admin(client, two_antennas, coordinator):
    client.force_login(coordinator)
    entry = AntennaLogEntry.objects.create(
        antenna=two_antennas[0], action=AntennaLogAction.CREATED, at="2022-01-10T10:00:00+01:00"
    )
    change = client.get(reverse("admin:network_antennalogentry_change", args=[entry.pk])).content.decode()
    assert 'name="_save"' not in change
    assert client.get(reverse("admin:network_antennalogentry_delete", args=[entry.pk])).status_code == 403


def test_dossier_admin_shows_the_coverage_panel(client, wave, chalon, quimper, coordinator):
    antenna(laureate(wave, commune=quimper), convention_signed_on=date(2020, 1, 1), opened_on=date(2020, 6, 1))
    CnamCentre.objects.create(name="Cnam Lyon", commune=chalon, latitude=45.7640, longitude=4.8357)
    candidate = DossierFactory(commune=chalon, status=DossierStatus.SUBMITTED)
    client.force_login(coordinator)
    html = client.get(reverse("admin:applications_dossier_change", args=[candidate.pk])).content.decode()
    assert "Couverture du territoire" in html
    assert "687,2 km — Quimper" in html or "687.2 km — Quimper" in html
    assert "Cnam Lyon" in html


def test_coverage_map_shows_the_network_and_the_waves_candidates_of_the_staff_regions(
    client, wave, chalon, quimper, regional_staff, burgundy
):
    antenna(laureate(wave, commune=chalon), convention_signed_on=date(2020, 1, 1))
    from tests.factories import WaveFactory

    current = WaveFactory()
    DossierFactory(wave=current, commune=quimper, status=DossierStatus.SUBMITTED)
    mine = DossierFactory(
        wave=current, commune__departement=burgundy, commune__name="Autun", status=DossierStatus.SUBMITTED
    )
    client.force_login(regional_staff(burgundy.region))
    response = client.get(reverse("admin:network_antenna_coverage"), {"wave": current.pk})
    assert response.status_code == 200
    assert [d for d, _c in response.context["candidate_rows"]] == [mine]
    assert "<svg" in response.content.decode()
