"""Yearly figures: reported by the laureate's officials on their page, validated by staff, then frozen; reminders."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.models import DossierMember
from network import services
from network.models import AntennaLogAction, AntennaLogEntry, AntennaReport
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from tests.factories import UserFactory, official

from .conftest import PARIS, antenna, laureate

pytestmark = pytest.mark.django_db
NOW = datetime(2022, 3, 1, 12, 0, tzinfo=PARIS)


@pytest.fixture
def open_antenna(wave):
    return antenna(laureate(wave), convention_signed_on=date(2020, 1, 10), opened_on=date(2020, 9, 1))


def test_the_owner_reports_a_year_and_it_is_logged(open_antenna):
    owner = open_antenna.dossier.owner
    report = services.report_submit(antenna=open_antenna, year=2021, enrolments=37, by=owner, now=NOW)
    assert (report.enrolments, report.submitted_by, report.is_validated) == (37, owner, False)
    assert AntennaLogEntry.objects.get(action=AntennaLogAction.REPORT_SUBMITTED).changes == {
        "year": 2021,
        "enrolments": 37,
    }


def test_a_co_editor_may_report_too(open_antenna):
    co_editor = UserFactory()
    DossierMember.objects.create(dossier=open_antenna.dossier, user=co_editor)
    services.report_submit(antenna=open_antenna, year=2021, enrolments=5, by=co_editor, now=NOW)
    assert AntennaReport.objects.get().submitted_by == co_editor


def test_another_official_may_not_report(open_antenna):
    with pytest.raises(PermissionDenied):
        services.report_submit(antenna=open_antenna, year=2021, enrolments=5, by=official(), now=NOW)


def test_a_year_before_the_opening_is_refused(open_antenna):
    with pytest.raises(ValidationError):
        services.report_submit(antenna=open_antenna, year=2019, enrolments=5, by=open_antenna.dossier.owner, now=NOW)


def test_a_second_report_of_the_same_year_corrects_the_first(open_antenna):
    owner = open_antenna.dossier.owner
    services.report_submit(antenna=open_antenna, year=2021, enrolments=5, by=owner, now=NOW)
    services.report_submit(antenna=open_antenna, year=2021, enrolments=8, by=owner, now=NOW)
    assert list(AntennaReport.objects.values_list("year", "enrolments")) == [(2021, 8)]


def test_validated_figures_are_frozen(open_antenna, regional_staff):
    owner = open_antenna.dossier.owner
    report = services.report_submit(antenna=open_antenna, year=2021, enrolments=5, by=owner, now=NOW)
    staff = regional_staff(open_antenna.dossier.region)
    assert services.report_validate(report=report, by=staff, now=NOW) is True
    assert services.report_validate(report=report, by=staff, now=NOW) is False
    with pytest.raises(ValidationError):
        services.report_submit(antenna=open_antenna, year=2021, enrolments=9, by=owner, now=NOW)
    assert AntennaReport.objects.get().enrolments == 5


def test_staff_of_another_region_cannot_validate(open_antenna, regional_staff, brittany):
    report = services.report_submit(
        antenna=open_antenna, year=2021, enrolments=5, by=open_antenna.dossier.owner, now=NOW
    )
    with pytest.raises(PermissionDenied):
        services.report_validate(report=report, by=regional_staff(brittany.region), now=NOW)


def test_report_page_shows_the_antenna_to_its_official_and_records_figures(client, open_antenna):
    client.force_login(open_antenna.dossier.owner)
    url = reverse("network:reports", kwargs={"pk": open_antenna.pk})
    with time_machine.travel(NOW, tick=False):
        page = client.get(url).content.decode()
        response = client.post(url, {"year": 2021, "enrolments": 12})
    assert "Chalon" in page or open_antenna.dossier.applicant_name in page
    assert response.status_code == 302
    assert AntennaReport.objects.get().enrolments == 12


def test_report_page_is_404_for_another_official(client, open_antenna):
    client.force_login(official())
    assert client.get(reverse("network:reports", kwargs={"pk": open_antenna.pk})).status_code == 404


def test_official_home_links_to_their_antenna(client, open_antenna):
    client.force_login(open_antenna.dossier.owner)
    html = client.get(reverse("applications:home")).content.decode()
    assert reverse("network:reports", kwargs={"pk": open_antenna.pk}) in html


# --- reminders -------------------------------------------------------------------------------------------------------


def test_no_reminder_before_the_first_of_february():
    assert services.report_due_year(today=date(2022, 1, 31)) is None
    assert services.report_due_year(today=date(2022, 2, 1)) == 2021


def test_missing_report_reminds_the_officials_once_per_year(open_antenna):
    now = datetime(2022, 2, 1, 0, 0, tzinfo=PARIS)
    assert services.send_report_reminders(now=now) == 1
    services.send_report_reminders(now=now + timedelta(days=1))
    message = OutboxMessage.objects.get()
    assert message.kind == EmailKind.ANTENNA_REPORT_REMINDER
    assert message.recipient == open_antenna.dossier.owner.email
    assert "2021" in render_message(message).subject
    assert AntennaLogEntry.objects.filter(action=AntennaLogAction.REMINDER).count() == 1


def test_no_reminder_once_the_year_is_reported(open_antenna):
    services.report_submit(antenna=open_antenna, year=2021, enrolments=5, by=open_antenna.dossier.owner, now=NOW)
    assert services.send_report_reminders(now=NOW) == 0
    assert not OutboxMessage.objects.exists()


def test_no_reminder_for_an_antenna_not_open_last_year(wave):
    antenna(laureate(wave), convention_signed_on=date(2021, 1, 10), opened_on=date(2022, 1, 15))
    assert services.send_report_reminders(now=NOW) == 0


def test_reminder_subject_is_in_french(open_antenna):
    services.send_report_reminders(now=NOW)
    assert render_message(OutboxMessage.objects.get()).subject.startswith("Chiffres 2021 attendus")
