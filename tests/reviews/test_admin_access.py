"""Access matrix of the review admin: every admin URL of the workflow, GET as each role.

A reviewer of another région gets nothing: 404 on the dossier's pages, empty lists, no région in the filters.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from applications.states import DossierStatus
from tests.factories import WaveFactory

from .factories import review

pytestmark = pytest.mark.django_db

ROLES = ("reviewer_bfc", "reviewer_hdf", "coordinator", "committee", "press", "administrator", "official")
LOGIN = "login"


def _status(client, url):
    response = client.get(url)
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def _urls(world):
    bfc = world.dossier_bfc.pk
    return {
        "changelist": reverse("admin:applications_dossier_changelist"),
        "change": reverse("admin:applications_dossier_change", args=[bfc]),
        "history": reverse("admin:applications_dossier_history", args=[bfc]),
        "add": reverse("admin:applications_dossier_add"),
        "delete": reverse("admin:applications_dossier_delete", args=[bfc]),
        "dashboard": reverse("admin:applications_dossier_dashboard"),
        "rankings": reverse("admin:applications_dossier_rankings"),
        "ranking": reverse("admin:applications_dossier_ranking", args=[world.wave.pk]),
        "conflict": reverse("admin:applications_dossier_conflict", args=[bfc]),
        "decide": reverse("admin:applications_dossier_decide", args=[bfc]),
        "reviews": reverse("admin:reviews_review_changelist"),
        "assignments": reverse("admin:reviews_assignment_changelist"),
        "conflicts": reverse("admin:reviews_conflictofinterest_changelist"),
        "decisions": reverse("admin:reviews_decision_changelist"),
        "grids": reverse("admin:reviews_scoringgrid_changelist"),
        "grid": reverse("admin:reviews_scoringgrid_change", args=[world.campaign.scoring_grid.pk]),
    }


# Expected outcome of GET on each URL of a BFC dossier, per role.
EXPECTED = {
    "changelist": dict(
        reviewer_bfc=200, reviewer_hdf=200, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "change": dict(
        reviewer_bfc=200, reviewer_hdf=404, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "history": dict(
        reviewer_bfc=200, reviewer_hdf=404, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "add": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=403, committee=403, press=403, administrator=403, official=LOGIN
    ),
    "delete": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=403, committee=403, press=403, administrator=403, official=LOGIN
    ),
    "dashboard": dict(
        reviewer_bfc=200, reviewer_hdf=200, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "rankings": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "ranking": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "conflict": dict(
        reviewer_bfc=200, reviewer_hdf=404, coordinator=403, committee=403, press=403, administrator=403, official=LOGIN
    ),
    "decide": dict(
        reviewer_bfc=403, reviewer_hdf=404, coordinator=200, committee=403, press=403, administrator=403, official=LOGIN
    ),
    "reviews": dict(
        reviewer_bfc=200, reviewer_hdf=200, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "assignments": dict(
        reviewer_bfc=200, reviewer_hdf=200, coordinator=200, committee=403, press=403, administrator=403, official=LOGIN
    ),
    "conflicts": dict(
        reviewer_bfc=200, reviewer_hdf=200, coordinator=200, committee=403, press=403, administrator=403, official=LOGIN
    ),
    "decisions": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=200, committee=200, press=403, administrator=403, official=LOGIN
    ),
    "grids": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=200, committee=200, press=403, administrator=200, official=LOGIN
    ),
    "grid": dict(
        reviewer_bfc=403, reviewer_hdf=403, coordinator=200, committee=200, press=403, administrator=200, official=LOGIN
    ),
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_admin_review_pages_answer_each_role_as_declared(world, login, page, role):
    client = login(world.users[role])
    assert _status(client, _urls(world)[page]) == EXPECTED[page][role]


def test_anonymous_visitors_are_sent_to_the_admin_login(world, client):
    for url in _urls(world).values():
        assert _status(client, url) == LOGIN


def test_reviewer_of_another_region_gets_an_empty_list_and_no_region_in_the_filters(world, login):
    response = login(world.users["reviewer_hdf"]).get(reverse("admin:applications_dossier_changelist"))
    body = response.content.decode()
    assert "AMI-BFC-0001" not in body and "Bourgogne" not in body
    assert "AMI-HDF-0001" in body


def test_reviewer_list_shows_only_submitted_dossiers_of_their_region(world, login):
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:applications_dossier_changelist"))
    listed = {d.reference for d in response.context["cl"].result_list}
    assert listed == {"AMI-BFC-0001"}  # the BFC draft and the HDF dossier are not there


def test_region_filter_offers_only_the_reviewers_regions(world, login):
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:applications_dossier_changelist"))
    region_filter = next(f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "region")
    assert [label for _key, label in region_filter.lookup_choices] == ["Bourgogne-Franche-Comté"]


def test_filtering_on_another_regions_id_shows_nothing_of_it(world, login):
    url = reverse("admin:applications_dossier_changelist") + f"?region={world.hdf.pk}"
    response = login(world.users["reviewer_bfc"]).get(url)
    assert "AMI-HDF-0001" not in response.content.decode()


def test_search_does_not_find_another_regions_dossier(world, login):
    url = reverse("admin:applications_dossier_changelist") + "?q=AMI-HDF"
    response = login(world.users["reviewer_bfc"]).get(url)
    assert list(response.context["cl"].result_list) == []


def test_facet_counts_are_never_shown(world, login):
    url = reverse("admin:applications_dossier_changelist") + "?_facets=True"
    response = login(world.users["reviewer_bfc"]).get(url)
    assert response.context["cl"].add_facets is False


def test_export_of_selected_dossiers_leaves_out_another_regions_dossier(world, login):
    client = login(world.users["reviewer_bfc"])
    response = client.post(
        reverse("admin:applications_dossier_changelist"),
        {
            "action": "export_csv",
            "_selected_action": [world.dossier_bfc.pk, world.dossier_hdf.pk],
        },
    )
    content = response.content.decode("utf-8-sig")
    assert "AMI-BFC-0001" in content and "AMI-HDF-0001" not in content


def test_reviewer_cannot_download_another_regions_attachment(world, login):
    from django.core.files.base import ContentFile

    from applications.models import Attachment

    attachment = Attachment(
        dossier=world.dossier_hdf,
        kind="other",
        original_name="plan.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=4,
        sha256="0" * 64,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF"), save=True)
    url = reverse(
        "applications:attachment_download", kwargs={"pk": world.dossier_hdf.pk, "attachment_pk": attachment.pk}
    )
    assert login(world.users["reviewer_bfc"]).get(url).status_code == 404
    response = login(world.users["reviewer_hdf"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF"


def test_dossier_page_links_attachments_to_the_permission_checked_download(world, login):
    from django.core.files.base import ContentFile

    from applications.models import Attachment

    attachment = Attachment(
        dossier=world.dossier_bfc,
        kind="other",
        original_name="plan.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=4,
        sha256="0" * 64,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF"), save=True)
    response = login(world.users["reviewer_bfc"]).get(
        reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])
    )
    download = reverse(
        "applications:attachment_download", kwargs={"pk": world.dossier_bfc.pk, "attachment_pk": attachment.pk}
    )
    assert download in response.content.decode()


def test_dossier_page_shows_content_fields_history_and_reviews(world, login):
    world.dossier_bfc.skills_in_shortage = "Soudure et chaudronnerie"
    world.dossier_bfc.save()
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [4, 5])
    response = login(world.users["coordinator"]).get(
        reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])
    )
    body = response.content.decode()
    assert "Soudure et chaudronnerie" in body and "12,00" in body and 'id="history"' in body


def test_reviewer_sees_only_their_own_reviews_in_the_review_list(world, login):
    mine = review(world.dossier_bfc, world.users["reviewer_bfc"], [4, 5], completed=False)
    review(world.dossier_bfc, world.users["reviewer_bfc2"], [4, 5])
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:reviews_review_changelist"))
    assert list(response.context["cl"].result_list) == [mine]


def test_reviewer_cannot_open_another_reviewers_review(world, login):
    other = review(world.dossier_bfc, world.users["reviewer_bfc2"], [4, 5], completed=False)
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:reviews_review_change", args=[other.pk]))
    assert response.status_code == 404


def test_reviewer_of_another_region_cannot_post_a_note_on_a_dossier(world, login):
    url = reverse("admin:applications_dossier_note", args=[world.dossier_bfc.pk])
    response = login(world.users["reviewer_hdf"]).post(url, {"text": "Intrusion"})
    assert response.status_code == 404
    assert not world.dossier_bfc.internal_notes.exists()


def test_reviewer_of_another_region_cannot_start_a_review(world, login):
    url = reverse("admin:applications_dossier_review", args=[world.dossier_bfc.pk])
    assert login(world.users["reviewer_hdf"]).post(url).status_code == 404


def test_press_gets_no_dossier_in_the_admin_even_when_published(world, login):
    world.dossier_bfc.status = DossierStatus.LAUREATE
    world.dossier_bfc.save()
    client = login(world.users["press"])
    assert client.get(reverse("admin:applications_dossier_changelist")).status_code == 403


def test_dossier_page_does_not_link_a_reviewer_to_admin_pages_they_cannot_open(world, login):
    response = login(world.users["reviewer_bfc"]).get(
        reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk])
    )
    body = response.content.decode()
    for url in (
        reverse("admin:cities_region_change", args=[world.bfc.pk]),
        reverse("admin:applications_campaign_change", args=[world.campaign.pk]),
        reverse("admin:applications_wave_change", args=[world.wave.pk]),
    ):
        assert url not in body
    assert "Bourgogne-Franche-Comté" in body  # the région is still shown, as text


def test_dossier_page_links_the_wave_for_staff_who_can_view_it(world, login):
    admin = world.users["coordinator"]
    admin.user_permissions.add(Permission.objects.get(codename="view_wave", content_type__app_label="applications"))
    admin = type(admin).objects.get(pk=admin.pk)  # fresh permission cache
    response = login(admin).get(reverse("admin:applications_dossier_change", args=[world.dossier_bfc.pk]))
    assert reverse("admin:applications_wave_change", args=[world.wave.pk]) in response.content.decode()


def test_wave_filter_offers_only_waves_with_dossiers_the_user_can_see(world, login):
    WaveFactory()  # another campaign's wave, without any dossier
    response = login(world.users["reviewer_bfc"]).get(reverse("admin:applications_dossier_changelist"))
    wave_filter = next(f for f in response.context["cl"].filter_specs if getattr(f, "field_path", "") == "wave")
    assert [pk for pk, _label in wave_filter.lookup_choices] == [world.wave.pk]
