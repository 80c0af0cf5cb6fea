"""The dossier pages: creation, sections, autosave, co-editors, and who gets a 404."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.domain.sections import SECTIONS
from applications.models import Dossier, DossierChange, DossierInvitation, DossierMember
from applications.states import DossierStatus
from notifications.models import EmailKind, OutboxMessage
from notifications.sending import render_message
from tests.factories import (
    CampaignFactory,
    CommuneFactory,
    DossierFactory,
    OfficialProfileFactory,
    UserFactory,
    WaveFactory,
    official,
)

from .dossier_support import fill_sections

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    # Assertions read the English msgids; the French tests send Accept-Language: fr.
    settings.LANGUAGE_CODE = "en"


def logged_in(client, user):
    client.force_login(user)
    return client


def section_url(dossier, key):
    return reverse("applications:section", kwargs={"pk": dossier.pk, "key": key})


def dossier_urls(dossier):
    """Every URL of this part of the app that names a dossier (GET targets)."""
    urls = [
        reverse("applications:dossier", kwargs={"pk": dossier.pk}),
        reverse("applications:team", kwargs={"pk": dossier.pk}),
    ]
    urls += [section_url(dossier, spec.key) for spec in SECTIONS]
    return urls


# --- creation ---------------------------------------------------------------------------------------------------


def test_official_creates_the_dossier_of_their_commune(client):
    wave = WaveFactory()
    user = official()
    response = logged_in(client, user).post(
        reverse("applications:start", kwargs={"slug": wave.campaign.slug}),
        {"applicant": f"commune-{user.official_profile.commune_id}"},
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == section_url(dossier, "territory")
    assert dossier.owner == user and dossier.commune == user.official_profile.commune


def test_second_attempt_for_the_same_commune_says_it_is_held_without_naming_the_holder(client):
    # Issue 10: the stranger page shows no name, no e-mail (not even masked), no address of the holder.
    owner = UserFactory(first_name="Jeanne", last_name="Martin", email="jeanne@ville.fr")
    dossier = DossierFactory(owner=owner)
    OfficialProfileFactory(user=owner, commune=dossier.commune, phone="05 55 55 55 55")
    colleague = official(commune=dossier.commune)
    response = logged_in(client, colleague).post(
        reverse("applications:start", kwargs={"slug": dossier.campaign.slug}),
        {"applicant": f"commune-{dossier.commune_id}"},
    )
    assert response.status_code == 409
    assert "held by another official of the territory" in response.text
    for secret in ("Jeanne", "Martin", "jeanne@", "j***@", "ville.fr", "05 55 55 55 55"):
        assert secret not in response.text
    assert reverse("applications:join_request", kwargs={"slug": dossier.campaign.slug}) in response.text
    assert Dossier.objects.count() == 1


def test_request_to_join_emails_the_owner(client):
    dossier = DossierFactory()
    colleague = official(commune=dossier.commune)
    logged_in(client, colleague).post(
        reverse("applications:join_request", kwargs={"slug": dossier.campaign.slug}),
        {"applicant": f"commune-{dossier.commune_id}"},
    )
    message = render_message(OutboxMessage.objects.get())
    assert (message.kind, message.recipient) == (EmailKind.INVITATION, dossier.owner.email)
    assert colleague.email in message.body_text


# --- sections -----------------------------------------------------------------------------------------------------


def test_saving_a_section_keeps_the_other_sections(client):
    dossier = DossierFactory(skills_in_shortage="Soudure")
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "territory"),
        {"territory_presentation": "Ville moyenne", "employment_basin": "", "save": ""},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.territory_presentation, dossier.skills_in_shortage) == ("Ville moyenne", "Soudure")


def test_saving_a_section_is_attributed_to_its_author(client):
    dossier = DossierFactory()
    logged_in(client, dossier.owner).post(section_url(dossier, "lead"), {"lead_name": "Jeanne Martin"})
    change = DossierChange.objects.get()
    assert (change.section, change.fields, change.by) == ("lead", ["lead_name"], dossier.owner)
    page = client.get(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    assert f"Last modified by {dossier.owner}" in page.text


def test_invalid_section_keeps_everything_typed_and_saves_nothing(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "budget"),
        {
            "budget_total": "1000",
            "cofinancing_territory": "900",
            "cofinancing_region": "200",
            "budget_comments": "Mon long commentaire",
        },
    )
    assert response.status_code == 400
    assert "cannot be more than the total budget" in response.text
    assert "Mon long commentaire" in response.text and 'value="900"' in response.text
    dossier.refresh_from_db()
    assert dossier.budget_total is None


def test_invalid_section_states_a_cross_field_error_once(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "budget"), {"budget_total": "1000", "cofinancing_territory": "1900"}
    )
    assert response.text.count("cannot be more than the total budget") == 1


def test_cofinancing_error_writes_amounts_the_french_way(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "budget"),
        {"budget_total": "1000", "cofinancing_territory": "1900.50"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "(1\xa0900,50 €)" in response.text and "(1\xa0000 €)" in response.text


def test_invalid_section_shows_the_stored_progress_not_the_refused_values(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "budget"), {"budget_total": "1000", "cofinancing_territory": "1900"}
    )
    budget = next(item for item in response.context["progress"] if item.spec.key == "budget")
    assert budget.missing and response.context["percent"] == 12  # only the summary section is filled


def test_badly_typed_number_is_reported_at_save(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "training"), {"expected_learners_per_year": "beaucoup", "training_levels": "bac+2"}
    )
    assert response.status_code == 400
    assert 'value="beaucoup"' in response.text and 'value="bac+2"' in response.text


def test_negative_amount_is_refused(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(section_url(dossier, "budget"), {"budget_total": "-5"})
    assert response.status_code == 400


def test_partners_formset_adds_a_partner(client):
    dossier = DossierFactory()
    data = {
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "50",
        "partners-0-name": "Lycée Diderot",
        "partners-0-kind": "school",
        "partners-0-commitment": "Accueil des cours du soir",
        "partners-0-contact": "",
    }
    logged_in(client, dossier.owner).post(section_url(dossier, "partners"), data)
    assert list(dossier.partners.values_list("name", flat=True)) == ["Lycée Diderot"]
    assert DossierChange.objects.get().section == "partners"


def test_partners_page_offers_delete_only_on_saved_partners(client):
    from applications.models import DossierPartner

    dossier = DossierFactory()
    DossierPartner.objects.create(dossier=dossier, name="Usine", kind="company", commitment="Stages")
    page = logged_in(client, dossier.owner).get(section_url(dossier, "partners")).text
    assert 'name="partners-0-DELETE"' in page and 'name="partners-1-DELETE"' not in page


def test_section_page_carries_the_htmx_autosave_on_long_text(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).get(section_url(dossier, "territory"))
    autosave = reverse(
        "applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"}
    )
    assert f'hx-post="{autosave}"' in response.text
    assert 'hx-trigger="keyup changed delay:2s, autosave-retry"' in response.text
    assert 'id="autosave-employment_basin"' in response.text


def _describedby(page: str, name: str) -> list[str]:
    """The ids named by the aria-describedby of the textarea ``name``, each checked to exist in the page."""
    import re

    (tag,) = re.findall(rf'<textarea[^>]*name="{name}"[^>]*>', page)
    ids = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    missing = [id_ for id_ in ids if f'id="{id_}"' not in page]
    assert not missing, f"aria-describedby names ids absent from the page: {missing}"
    return ids


def test_autosaved_field_is_described_by_its_help_text_and_its_autosave_status(client):
    dossier = DossierFactory()
    page = logged_in(client, dossier.owner).get(section_url(dossier, "territory")).text
    assert _describedby(page, "employment_basin") == ["id_employment_basin_helptext", "autosave-employment_basin"]
    assert "The employment basin the project serves" in page


def test_autosaved_field_with_an_error_is_described_by_help_text_error_and_autosave_status(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "territory"), {"employment_basin": "x" * 5001, "territory_presentation": "", "save": ""}
    )
    page = response.text
    assert _describedby(page, "employment_basin") == [
        "id_employment_basin_helptext",
        "id_employment_basin_error",
        "autosave-employment_basin",
    ]
    assert "Ensure this value has at most 5000 characters" in page


def test_autosave_saves_that_one_field_and_says_when(client):
    dossier = DossierFactory(skills_in_shortage="Soudure")
    url = reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": "territory", "field": "employment_basin"})
    response = logged_in(client, dossier.owner).post(
        url, {"employment_basin": "Le bassin d'emploi", "territory_presentation": "not this one"}
    )
    assert response.status_code == 200 and "Saved at" in response.text
    dossier.refresh_from_db()
    assert (dossier.employment_basin, dossier.territory_presentation) == ("Le bassin d'emploi", "")
    assert DossierChange.objects.get().fields == ["employment_basin"]


def test_autosave_rejects_an_invalid_value(client):
    dossier = DossierFactory(public_summary="Avant")
    url = reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": "summary", "field": "public_summary"})
    response = logged_in(client, dossier.owner).post(url, {"public_summary": "x" * 1501})
    assert response.status_code == 400 and "Not saved" in response.text
    dossier.refresh_from_db()
    assert dossier.public_summary == "Avant"


def test_autosave_refuses_a_field_of_another_section(client):
    dossier = DossierFactory()
    url = reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": "summary", "field": "employment_basin"})
    assert logged_in(client, dossier.owner).post(url, {"employment_basin": "x"}).status_code == 404


def test_submitted_dossier_is_read_only(client):
    dossier = DossierFactory(status=DossierStatus.SUBMITTED, title="Avant")
    client = logged_in(client, dossier.owner)
    response = client.post(section_url(dossier, "summary"), {"title": "Après"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.title == "Avant"
    page = client.get(reverse("applications:dossier", kwargs={"pk": dossier.pk})).text
    assert "Avant" in page and section_url(dossier, "summary") not in page  # shown, no longer offered for editing


def test_submitted_dossier_page_links_to_its_receipt(client):
    from django.utils import timezone

    dossier = DossierFactory(status=DossierStatus.SUBMITTED, submitted_at=timezone.now())
    response = logged_in(client, dossier.owner).get(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    assert reverse("applications:receipt_latest", kwargs={"pk": dossier.pk}) in response.text


def test_draft_dossier_page_offers_no_receipt(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).get(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    assert reverse("applications:receipt_latest", kwargs={"pk": dossier.pk}) not in response.text


# --- co-editors -----------------------------------------------------------------------------------------------------


def test_owner_invites_a_colleague_by_email(client):
    dossier = DossierFactory()
    logged_in(client, dossier.owner).post(
        reverse("applications:team", kwargs={"pk": dossier.pk}), {"email": "Collegue@Ville.fr"}
    )
    invitation = DossierInvitation.objects.get()
    message = render_message(OutboxMessage.objects.get())
    assert (message.kind, message.recipient) == (EmailKind.INVITATION, "collegue@ville.fr")
    assert reverse("applications:invitation", kwargs={"token": invitation.token}) in message.body_text


def test_invited_colleague_accepts_then_edits(client):
    dossier = DossierFactory()
    colleague = UserFactory(email="collegue@ville.fr")
    logged_in(client, dossier.owner).post(
        reverse("applications:team", kwargs={"pk": dossier.pk}), {"email": colleague.email}
    )
    invitation = DossierInvitation.objects.get()
    client = logged_in(client, colleague)
    client.post(reverse("applications:invitation", kwargs={"token": invitation.token}))
    response = client.post(section_url(dossier, "summary"), {"title": "Titre du collègue"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.title == "Titre du collègue"
    assert DossierChange.objects.get().by == colleague


def test_invitation_cannot_be_accepted_by_another_address(client):
    dossier = DossierFactory()
    invitation = DossierInvitation.objects.create(dossier=dossier, email="collegue@ville.fr", token="t" * 20)
    response = logged_in(client, UserFactory()).post(
        reverse("applications:invitation", kwargs={"token": invitation.token})
    )
    assert response.status_code == 400
    assert not DossierMember.objects.exists()


def test_removed_co_editor_gets_404(client):
    dossier = DossierFactory()
    colleague = UserFactory()
    member = DossierMember.objects.create(dossier=dossier, user=colleague, added_by=dossier.owner)
    logged_in(client, dossier.owner).post(
        reverse("applications:remove_member", kwargs={"pk": dossier.pk, "member_pk": member.pk})
    )
    client = logged_in(client, colleague)
    assert [client.get(url).status_code for url in dossier_urls(dossier)] == [404] * len(dossier_urls(dossier))


def test_co_editor_cannot_remove_another_co_editor(client):
    dossier = DossierFactory()
    first, second = UserFactory(), UserFactory()
    DossierMember.objects.create(dossier=dossier, user=first)
    target = DossierMember.objects.create(dossier=dossier, user=second)
    response = logged_in(client, first).post(
        reverse("applications:remove_member", kwargs={"pk": dossier.pk, "member_pk": target.pk})
    )
    assert response.status_code == 403 and DossierMember.objects.filter(pk=target.pk).exists()


def test_official_of_another_city_gets_404_on_every_dossier_url(client):
    dossier = DossierFactory()
    stranger = official()
    client = logged_in(client, stranger)
    assert [client.get(url).status_code for url in dossier_urls(dossier)] == [404] * len(dossier_urls(dossier))
    autosave = reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": "summary", "field": "public_summary"})
    posts = [section_url(dossier, "summary"), autosave, reverse("applications:team", kwargs={"pk": dossier.pk})]
    assert [
        client.post(url, {"title": "x", "public_summary": "x", "email": "a@b.fr"}).status_code for url in posts
    ] == [404] * 3
    dossier.refresh_from_db()
    assert dossier.public_summary != "x" and not DossierInvitation.objects.exists()


# --- home page ------------------------------------------------------------------------------------------------------


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_home_shows_the_countdown_and_the_french_closing_date(client, settings):
    campaign = CampaignFactory()
    WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=paris(2020, 7, 20),
        closes_at=paris(2020, 11, 7),
        publishes_at=paris(2020, 12, 15),
    )
    dossier = DossierFactory(campaign=campaign, wave=campaign.waves.get())
    with time_machine.travel(paris(2020, 11, 4, 21, 30), tick=False):
        response = logged_in(client, dossier.owner).get(reverse("applications:home"), HTTP_ACCEPT_LANGUAGE="fr")
    text = " ".join(response.text.split())
    assert "6 novembre 2020 à 23:59:59" in text
    assert "2 jours" in text and "2 heures" in text


def test_home_one_second_before_the_deadline_still_counts_down(client):
    campaign = CampaignFactory()
    WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=paris(2020, 7, 20),
        closes_at=paris(2020, 11, 7),
        publishes_at=paris(2020, 12, 15),
    )
    WaveFactory(
        campaign=campaign,
        number=2,
        opens_at=paris(2020, 11, 7),
        closes_at=paris(2021, 2, 13),
        publishes_at=paris(2021, 3, 31),
    )
    dossier = DossierFactory(campaign=campaign, wave=campaign.waves.get(number=1))
    client = logged_in(client, dossier.owner)
    with time_machine.travel(paris(2020, 11, 6, 23, 59, 59), tick=False):
        before = " ".join(client.get(reverse("applications:home"), HTTP_ACCEPT_LANGUAGE="en").text.split())
    with time_machine.travel(paris(2020, 11, 7, 0, 0, 1), tick=False):
        after = " ".join(client.get(reverse("applications:home"), HTTP_ACCEPT_LANGUAGE="en").text.split())
    assert "Wave 1 closes on" in before and "0 hours left" in before
    assert "Wave 2 closes on" in after


def test_home_lists_what_is_left_to_do(client):
    dossier = DossierFactory(title="")
    response = logged_in(client, dossier.owner).get(reverse("applications:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert section_url(dossier, "territory") in response.text
    assert "Letter of commitment" in response.text


def test_home_offers_to_start_a_dossier_in_the_open_campaign(client):
    wave = WaveFactory()
    user = official()
    response = logged_in(client, user).get(reverse("applications:home"))
    assert reverse("applications:start", kwargs={"slug": wave.campaign.slug}) in response.text


def test_home_start_button_reads_well_in_french_for_a_name_starting_with_a_vowel(client):
    # "le dossier de Alès" is wrong French (it elides: "d'Alès"); the sentence must not put "de" before the name.
    WaveFactory()
    user = official(commune=CommuneFactory(name="Alès"))
    response = logged_in(client, user).get(reverse("applications:home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "de Alès" not in response.text and "Commencer le dossier pour Alès" in response.text


def test_home_asks_an_official_without_territory_to_complete_their_profile(client):
    WaveFactory()
    response = logged_in(client, UserFactory()).get(reverse("applications:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "does not say which commune" in response.text


def _home_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("applications:home")).status_code == 200
    return len(captured)


def test_home_query_count_does_not_grow_with_the_number_of_dossiers(client, django_assert_num_queries):
    user = official()
    wave = WaveFactory()
    client = logged_in(client, user)
    fill_sections(DossierFactory(wave=wave, campaign=wave.campaign, owner=user))
    reference = _home_queries(client)
    for _index in range(3):
        dossier = DossierFactory(owner=user, wave=WaveFactory(opens_at=wave.opens_at - timedelta(days=1)))
        DossierMember.objects.create(dossier=DossierFactory(), user=user)
        fill_sections(dossier)
    with django_assert_num_queries(reference):
        page = client.get(reverse("applications:home")).text
    assert all(dossier.reference in page for dossier in Dossier.objects.all())  # the 7 rows are really listed


def test_start_page_offers_the_official_territory(client):
    wave = WaveFactory()
    user = official()
    response = logged_in(client, user).get(reverse("applications:start", kwargs={"slug": wave.campaign.slug}))
    assert response.status_code == 200 and user.official_profile.commune.name in response.text


def test_start_page_of_a_historical_campaign_is_404(client):
    wave = WaveFactory(campaign=CampaignFactory(is_historical=True))
    response = logged_in(client, official()).get(reverse("applications:start", kwargs={"slug": wave.campaign.slug}))
    assert response.status_code == 404


def test_pending_invitation_is_offered_on_the_home_page_after_log_in(client):
    dossier = DossierFactory()
    colleague = UserFactory(email="collegue@ville.fr")
    invitation = DossierInvitation.objects.create(
        dossier=dossier, email="collegue@ville.fr", token="k" * 20, invited_by=dossier.owner
    )
    client = logged_in(client, colleague)
    accept = reverse("applications:invitation", kwargs={"token": invitation.token})
    assert accept in client.get(reverse("applications:home")).text
    assert f"co-edit dossier {dossier.reference} of {dossier.applicant_name}" in client.get(accept).text
    client.post(accept)
    assert DossierMember.objects.filter(dossier=dossier, user=colleague).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague


def test_invitation_texts_do_not_write_de_before_the_territory_name_in_french(client):
    # "le dossier … de Alès" is wrong French (elision); the territory goes in brackets instead.
    from django.template.loader import render_to_string
    from django.utils import translation

    dossier = DossierFactory(commune=CommuneFactory(name="Alès"))
    colleague = UserFactory(email="collegue@ville.fr")
    invitation = DossierInvitation.objects.create(
        dossier=dossier, email="collegue@ville.fr", token="k" * 20, invited_by=dossier.owner
    )
    page = (
        logged_in(client, colleague)
        .get(reverse("applications:invitation", kwargs={"token": invitation.token}), HTTP_ACCEPT_LANGUAGE="fr")
        .text
    )
    context = {
        "inviter_name": "Claire",
        "dossier_reference": "AMI-1",
        "applicant_name": "Alès",
        "campaign_name": "AMI",
        "requester_name": "Paul",
        "requester_email": "p@ville.fr",
    }
    with translation.override("fr"):
        mails = [
            render_to_string("applications/emails/invitation_body.txt", {**context, "join_request": flag})
            for flag in (False, True)
        ]
    assert "vous invite" in page and "(Alès" in page
    for text in [page, *mails]:
        assert "de Alès" not in text


def test_home_points_an_invited_colleague_to_the_invitation_not_to_ask_to_join(client):
    dossier = DossierFactory(wave=WaveFactory(opens_at=paris(2020, 1, 1), closes_at=paris(2099, 1, 1)))
    colleague = official(commune=dossier.commune)
    DossierInvitation.objects.create(dossier=dossier, email=colleague.email, token="k" * 20, invited_by=dossier.owner)
    page = logged_in(client, colleague).get(reverse("applications:home")).text
    assert "accept the invitation above" in page
    assert reverse("applications:join_request", kwargs={"slug": dossier.campaign.slug}) not in page


def test_revoked_invitation_cannot_be_accepted(client):
    dossier = DossierFactory()
    colleague = UserFactory(email="collegue@ville.fr")
    invitation = DossierInvitation.objects.create(dossier=dossier, email=colleague.email, token="r" * 20)
    logged_in(client, dossier.owner).post(
        reverse("applications:revoke_invitation", kwargs={"pk": dossier.pk, "invitation_pk": invitation.pk})
    )
    response = logged_in(client, colleague).post(reverse("applications:invitation", kwargs={"token": invitation.token}))
    assert response.status_code == 400 and not DossierMember.objects.exists()


def test_dossier_page_shows_acv_membership(client):
    from cities.models import Programme, ProgrammeMembership

    dossier = DossierFactory()
    ProgrammeMembership.objects.create(programme=Programme.ACV, commune=dossier.commune, source="ANCT")
    response = logged_in(client, dossier.owner).get(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    assert "Action Cœur de Ville" in response.text


def test_dossier_page_names_the_campaign_once(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).get(reverse("applications:dossier", kwargs={"pk": dossier.pk}))
    heading = response.text.split("</h1>", 1)[1].split("</p>", 1)[0]
    assert heading.count(dossier.campaign.name) == 1 and f"wave {dossier.wave.number}" in heading


def test_programme_line_does_not_repeat_the_commune_name_in_brackets(client):
    from cities.models import Programme, ProgrammeMembership

    dossier = DossierFactory(commune=CommuneFactory(name="Nevers"))
    ProgrammeMembership.objects.create(
        programme=Programme.ACV, commune=dossier.commune, source="ANCT", territory_name="Nevers"
    )
    ProgrammeMembership.objects.create(
        programme=Programme.TI, commune=dossier.commune, source="ANCT", territory_name="Nevers Val de Loire"
    )
    page = logged_in(client, dossier.owner).get(reverse("applications:dossier", kwargs={"pk": dossier.pk})).text
    assert "(Nevers)" not in page and "(Nevers Val de Loire)" in page


def test_saving_on_the_way_out_goes_on_to_the_followed_link(client):
    dossier = DossierFactory()
    target = section_url(dossier, "budget")
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "lead"), {"lead_name": "Claire", "save": "", "next": target}
    )
    assert response.status_code == 302 and response["Location"] == target
    dossier.refresh_from_db()
    assert dossier.lead_name == "Claire"


def test_saving_on_the_way_out_never_redirects_to_another_site(client):
    dossier = DossierFactory()
    response = logged_in(client, dossier.owner).post(
        section_url(dossier, "lead"), {"lead_name": "Claire", "save": "", "next": "https://evil.example/"}
    )
    assert response["Location"] == section_url(dossier, "lead")
