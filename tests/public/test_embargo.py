"""The embargo, URL by URL and role by role, one second before and at the publication instant (Paris time)."""

from datetime import timedelta

import pytest
import time_machine

from .conftest import PUBLISHES_AT, ROLES

BEFORE = PUBLISHES_AT - timedelta(seconds=1)
AT = PUBLISHES_AT

PUBLIC_PAGES_OF_THE_WAVE = ["/resultats/ami2/", "/resultats/ami2/vague-1/", "/resultats/ami2/71076/"]
PUBLIC_LISTINGS = [
    "/",
    "/resultats/",
    "/donnees/",
    "/donnees/laureats.csv",
    "/donnees/laureats.json",
    "/donnees/ami2/laureats.csv",
    "/donnees/ami2/laureats.json",
    "/sitemap.xml",
]
PRESS_PAGES = ["/presse/", "/presse/ami2/vague-1/", "/presse/exports/"]


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("laureates")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_PAGES_OF_THE_WAVE)
def test_public_result_pages_are_404_one_second_before_publication_for_every_role(client_for, role, url):
    client = client_for(role)
    with time_machine.travel(BEFORE, tick=False):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_PAGES_OF_THE_WAVE)
def test_public_result_pages_show_the_laureate_at_publication_time(client_for, role, url):
    client = client_for(role)
    with time_machine.travel(AT, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    assert "Chalon-sur-Saône" in body(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_LISTINGS)
def test_public_listings_do_not_mention_unpublished_laureates(client_for, role, url):
    client = client_for(role)
    with time_machine.travel(BEFORE, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    text = body(response)
    assert "Chalon-sur-Saône" not in text
    assert "71076" not in text
    assert "/resultats/ami2/" not in text


@pytest.mark.parametrize(
    "url", ["/donnees/laureats.csv", "/donnees/laureats.json", "/donnees/ami2/laureats.csv", "/sitemap.xml"]
)
def test_open_data_and_sitemap_list_the_laureate_at_publication_time(client_for, url):
    client = client_for("anonymous")
    with time_machine.travel(AT, tick=False):
        text = body(client.get(url))
    assert ("71076" in text) and ("Chalon-sur-Saône" in text or "/resultats/ami2/71076/" in text)


@pytest.mark.parametrize("url", PRESS_PAGES)
def test_press_pages_send_anonymous_users_to_log_in(client_for, url):
    response = client_for("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("role", ["official", "reviewer"])
@pytest.mark.parametrize("url", PRESS_PAGES)
def test_press_pages_are_forbidden_to_officials_and_reviewers(client_for, role, url):
    assert client_for(role).get(url).status_code == 403


@pytest.mark.parametrize("role, status", [("official", 403), ("reviewer", 403), ("anonymous", 302)])
def test_press_export_is_refused_to_others_before_publication(client_for, role, status):
    client = client_for(role)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post("/presse/exports/", {"campaign": "ami2", "wave": 1, "format": "csv"})
    assert response.status_code == status  # anonymous visitors are sent to log in
    assert status == 403 or response["Location"].startswith("/admin/login/?next=")
    assert "Chalon" not in body(response)


@pytest.mark.parametrize("role", ["press", "coordinator"])
def test_press_sees_decided_laureates_under_embargo_before_publication(client_for, role):
    client = client_for(role)
    with time_machine.travel(BEFORE, tick=False):
        response = client.get("/presse/ami2/vague-1/")
    assert response.status_code == 200
    assert "Chalon-sur-Saône" in body(response)
    assert "EMBARGO" in body(response)


@pytest.mark.parametrize("url", PRESS_PAGES)
def test_press_pages_are_never_stored_by_caches(client_for, url):
    response = client_for("press").get(url)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["press", "coordinator"])
def test_press_export_before_publication_is_named_and_marked_embargo(client_for, role):
    client = client_for(role)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post("/presse/exports/", {"campaign": "ami2", "wave": 1, "format": "csv"})
    assert response.status_code == 200
    assert 'filename="laureats-ami2-vague1-EMBARGO-jusqu-au-2021-03-15T10h00.csv"' in response["Content-Disposition"]
    first_line = body(response).lstrip("\ufeff").splitlines()[0]
    assert "EMBARGO" in first_line and "15/03/2021" in first_line and "10:00" in first_line
    assert "no-store" in response["Cache-Control"]


def test_press_export_at_publication_time_carries_no_embargo(client_for):
    client = client_for("press")
    with time_machine.travel(AT, tick=False):
        response = client.post("/presse/exports/", {"campaign": "ami2", "wave": 1, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="laureats-ami2-vague1.csv"'
    assert "EMBARGO" not in body(response)


def test_press_does_not_see_dossier_contents_of_undecided_or_rejected_dossiers(client_for, wave):
    from applications.states import DossierStatus
    from tests.factories import DossierFactory

    DossierFactory(wave=wave, status=DossierStatus.UNDER_REVIEW, title="Projet encore en examen")
    DossierFactory(wave=wave, status=DossierStatus.NOT_RETAINED, title="Projet non retenu", decided_at=BEFORE)
    client = client_for("press")
    with time_machine.travel(BEFORE, tick=False):
        page = body(client.get("/presse/ami2/vague-1/"))
        export = body(client.post("/presse/exports/", {"campaign": "ami2", "format": "json"}))
    for text in (page, export):
        assert "Projet encore en examen" not in text and "Projet non retenu" not in text


def test_press_home_keeps_each_wave_link_on_one_line(client_for):
    response = client_for("press").get("/presse/")
    assert '<td class="text-nowrap"><a href="/presse/ami2/vague-1/">' in body(response)
